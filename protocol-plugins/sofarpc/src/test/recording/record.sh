#!/bin/sh
# Records the golden SOFARPC traffic: the SOFARPC provider and consumer of ../golden (real framework from Maven
# Central, Bolt protocol, Hessian2, direct URL, no registry) on loopback, captured with tcpdump.
# Needs root (tcpdump), mvn and network access to Maven Central. Usage: record.sh OUTDIR [PORT]
# SOFARPC_FIXTURE=DIR: the programs already built there (target/classes and cp.txt, as below), e.g. by
# itests/live-protocols, which runs this script under live capture.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-.}" && pwd)
PORT=${2:-12200}
WORK=$(mktemp -d /tmp/sofarpc-golden.XXXXXX)
if [ -n "${SOFARPC_FIXTURE:-}" ]; then
    CP="$SOFARPC_FIXTURE/target/classes:$(cat "$SOFARPC_FIXTURE/cp.txt")"
else
    cp -r "$HERE/../golden/." "$WORK/"
    (cd "$WORK" && mvn -B -q -ntp compile dependency:build-classpath -Dmdep.outputFile=cp.txt)
    CP="$WORK/target/classes:$(cat "$WORK/cp.txt")"
fi
cd "$WORK"
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
java $JOPTS -cp "$CP" org.deeptrace.golden.sofarpc.Consumer "$PORT" >consumer.log 2>&1 || { cat consumer.log provider.log; exit 1; }
sleep 1
kill "$TD"; wait "$TD" || true
grep -v '^\s*at ' consumer.log || true
kill "$PROVIDER"; wait "$PROVIDER" || true
rm -rf "$WORK"
