#!/bin/sh
# Records src/test/resources/golden/example.pcap: the example client and server (example_traffic.py) on loopback.
# Run as root from the project directory: sh src/test/recording/record.sh
# The snap length (2048) truncates the segments of the 200 kB body: the golden test then covers gaps in a body.
# Afterwards regenerate the expected records: mvn test -Dgolden.update=true, and read the diff.
set -eu
OUT=src/test/resources/golden/example.pcap
tcpdump -i lo -U -s 2048 -w "$OUT" 'tcp port 7070' 2>/dev/null &
TD=$!
sleep 1
python3 "$(dirname "$0")/example_traffic.py"
sleep 1
kill "$TD"
wait "$TD" || true
echo "recorded $OUT"
