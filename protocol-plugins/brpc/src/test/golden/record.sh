#!/bin/sh
# Records brpc-java (baidu_std) traffic on loopback with tcpdump (run as root; needs tcpdump, JDK 17, Maven).
# Usage: src/test/golden/record.sh [OUTDIR]   (default: src/test/resources/brpc, the checked-in fixture)
set -eu
OUT=$(cd "${1:-$(dirname "$0")/../resources/brpc}" && pwd)
PORT=${PORT:-18002}
cd "$(dirname "$0")"
mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
tcpdump -i lo -U -w "$OUT/brpc-baidu-std.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java --add-opens java.base/java.lang=ALL-UNNAMED -cp "target/classes:$(cat target/cp.txt)" golden.BrpcTraffic "$PORT" > target/run.log 2>&1 || { cat target/run.log; kill "$TD"; exit 1; }
sleep 1
kill "$TD"; wait "$TD" || true
