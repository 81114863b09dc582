#!/bin/sh
# Records Tars traffic (TarsJava 1.7.3 client, TarsJava codec on the server side) on loopback with tcpdump.
# Run as root; needs tcpdump, JDK 17 and Maven (downloads tars-core once).
# Usage: src/test/golden/record.sh [OUTDIR] [PORT]   (default: src/test/resources/tars, the checked-in fixture,
# and port 18601; the PORT environment variable is read too)
# TARS_FIXTURE=DIR: the program already built there (target/classes and cp.txt), e.g. by itests/live-protocols,
# which runs this script under live capture; otherwise it is built here with Maven.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-$HERE/../resources/tars}" && pwd)
PORT=${2:-${PORT:-18601}}
if [ -n "${TARS_FIXTURE:-}" ]; then
    CP="$TARS_FIXTURE/target/classes:$(cat "$TARS_FIXTURE/cp.txt")"
else
    (cd "$HERE" && mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
    CP="$HERE/target/classes:$(cat "$HERE/target/cp.txt")"
fi
WORK=$(mktemp -d /tmp/tars-golden.XXXXXX)
TD=
trap 'kill $TD 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"
tcpdump -i lo -U -w "$OUT/tars-java.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java -cp "$CP" golden.TarsTraffic "$PORT" >run.log 2>&1 || { cat run.log; exit 1; }
sleep 1
kill "$TD"; wait "$TD" || true
TD=
