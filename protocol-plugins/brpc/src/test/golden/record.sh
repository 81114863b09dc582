#!/bin/sh
# Records brpc-java (baidu_std) traffic on loopback with tcpdump (run as root; needs tcpdump, JDK 17, Maven).
# Usage: src/test/golden/record.sh [OUTDIR] [PORT]   (default: src/test/resources/brpc, the checked-in fixture,
# and port 18002; the PORT environment variable is read too)
# BRPC_FIXTURE=DIR: the program already built there (target/classes and cp.txt), e.g. by itests/live-protocols,
# which runs this script under live capture; otherwise it is built here with Maven.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-$HERE/../resources/brpc}" && pwd)
PORT=${2:-${PORT:-18002}}
if [ -n "${BRPC_FIXTURE:-}" ]; then
    CP="$BRPC_FIXTURE/target/classes:$(cat "$BRPC_FIXTURE/cp.txt")"
else
    (cd "$HERE" && mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt)
    CP="$HERE/target/classes:$(cat "$HERE/target/cp.txt")"
fi
WORK=$(mktemp -d /tmp/brpc-golden.XXXXXX)
TD=
trap 'kill $TD 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"
tcpdump -i lo -U -w "$OUT/brpc-baidu-std.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java --add-opens java.base/java.lang=ALL-UNNAMED -cp "$CP" golden.BrpcTraffic "$PORT" >run.log 2>&1 || { cat run.log; exit 1; }
sleep 1
kill "$TD"; wait "$TD" || true
TD=
