#!/bin/sh
# Records the golden Dubbo traffic: the Apache Dubbo provider and consumer of ../golden (real framework from
# Maven Central, dubbo:// protocol, Hessian2, direct URL, no registry) on loopback, captured with tcpdump.
# Needs root (tcpdump), mvn and network access to Maven Central. Usage: record.sh OUTDIR [PORT]
# DUBBO_FIXTURE=DIR: the programs already built there (target/classes and cp.txt, as below), e.g. by
# itests/live-protocols, which runs this script under live capture.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-.}" && pwd)
PORT=${2:-20880}
WORK=$(mktemp -d /tmp/dubbo-golden.XXXXXX)
if [ -n "${DUBBO_FIXTURE:-}" ]; then
    CP="$DUBBO_FIXTURE/target/classes:$(cat "$DUBBO_FIXTURE/cp.txt")"
else
    cp -r "$HERE/../golden/." "$WORK/"
    (cd "$WORK" && mvn -B -q -ntp compile dependency:build-classpath -Dmdep.outputFile=cp.txt)
    CP="$WORK/target/classes:$(cat "$WORK/cp.txt")"
fi
cd "$WORK"
java -cp "$CP" org.deeptrace.golden.dubbo.Provider "$PORT" >provider.log 2>&1 &
PROVIDER=$!
TD=
trap 'kill $PROVIDER $TD 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "PROVIDER READY" provider.log && break; sleep 1; done
tcpdump -i lo -U -s 0 -w "$OUT/dubbo-hessian2.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
java -cp "$CP" org.deeptrace.golden.dubbo.Consumer "$PORT" >consumer.log 2>&1
sleep 1
kill "$TD"; wait "$TD" || true
grep -v "^\s*at " consumer.log || true
kill "$PROVIDER"; wait "$PROVIDER" || true
rm -rf "$WORK"
