#!/bin/sh
# Records Tars traffic (TarsJava 1.7.3 client, TarsJava codec on the server side) on loopback with tcpdump.
# Run as root; needs tcpdump, JDK 17 and Maven (downloads tars-core once).
# Usage: src/test/golden/record.sh [OUTDIR]   (default: src/test/resources/tars, the checked-in fixture)
set -eu
OUT=$(cd "${1:-$(dirname "$0")/../resources/tars}" && pwd)
PORT=${PORT:-18601}
cd "$(dirname "$0")"
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
tcpdump -i lo -U -w "$OUT/tars-java.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java -cp "target/classes:$(cat target/cp.txt)" golden.TarsTraffic "$PORT" > target/run.log 2>&1 || { cat target/run.log; kill "$TD"; exit 1; }
sleep 1
kill "$TD"; wait "$TD" || true
