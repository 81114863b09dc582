#!/bin/sh
# Records the golden SOFARPC traffic: the SOFARPC provider and consumer of ../golden (real framework from Maven
# Central, Bolt protocol, Hessian2, direct URL, no registry) on loopback, captured with tcpdump.
# Needs root (tcpdump), mvn and network access to Maven Central. Usage: record.sh OUTDIR [PORT]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-.}" && pwd)
PORT=${2:-12200}
WORK=$(mktemp -d /tmp/sofarpc-golden.XXXXXX)
cp -r "$HERE/../golden/." "$WORK/"
cd "$WORK"
mvn -B -q -ntp compile dependency:build-classpath -Dmdep.outputFile=cp.txt
CP="target/classes:$(cat cp.txt)"
# Bolt sends heartbeats after this much idle time (default 15 s).
JOPTS="-Dbolt.tcp.heartbeat.interval=1000 --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.math=ALL-UNNAMED"
java $JOPTS -cp "$CP" org.deeptrace.golden.sofarpc.Provider "$PORT" >provider.log 2>&1 &
PROVIDER=$!
TD=
trap 'kill $PROVIDER $TD 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "PROVIDER READY" provider.log && break; sleep 1; done
tcpdump -i lo -U -s 0 -w "$OUT/sofarpc-bolt.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java $JOPTS -cp "$CP" org.deeptrace.golden.sofarpc.Consumer "$PORT" >consumer.log 2>&1
sleep 1
kill "$TD"; wait "$TD" || true
grep -v '^\s*at ' consumer.log || true
kill "$PROVIDER"; wait "$PROVIDER" || true
rm -rf "$WORK"
