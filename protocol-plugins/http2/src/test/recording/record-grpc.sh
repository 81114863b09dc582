#!/bin/sh
# Records the golden gRPC traffic: the grpc-java 1.53.0 server and client of ../grpc-golden (real framework from
# Maven Central, Netty transport, plaintext HTTP/2, service demo.Greeter defined by hand with a bytes marshaller:
# unary calls, server/client/bidi streaming, a call failing with grpc-status 5 and a grpc-message) on loopback,
# captured with tcpdump. Needs root (tcpdump), mvn and Maven Central (or the artifacts in ~/.m2).
# Usage: record-grpc.sh [OUTDIR] [PORT]   (default ../resources/http2 and 17051)
# GRPC_FIXTURE=DIR: the programs already built there (target/classes and cp.txt, as below), e.g. by
# itests/live-protocols, which runs this script under live capture.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-$HERE/../resources/http2}" && pwd)
PORT=${2:-17051}
WORK=$(mktemp -d /tmp/grpc-golden.XXXXXX)
if [ -n "${GRPC_FIXTURE:-}" ]; then
    CP="$GRPC_FIXTURE/target/classes:$(cat "$GRPC_FIXTURE/cp.txt")"
else
    cp -r "$HERE/../grpc-golden/." "$WORK/"
    (cd "$WORK" && mvn -B -q -ntp compile dependency:build-classpath -Dmdep.outputFile=cp.txt)
    CP="$WORK/target/classes:$(cat "$WORK/cp.txt")"
fi
cd "$WORK"
java -cp "$CP" org.deeptrace.golden.grpc.GreeterServer "$PORT" >server.log 2>&1 &
SERVER=$!
TD=
trap 'kill $SERVER $TD 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do grep -q "SERVER READY" server.log && break; sleep 1; done
tcpdump -i lo -U -s 0 -w "$OUT/grpc-java.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java -cp "$CP" org.deeptrace.golden.grpc.GreeterClient "$PORT"
sleep 1
kill "$TD"; wait "$TD" || true
TD=
