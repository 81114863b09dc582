#!/bin/sh
# Records the h2c-upgrade golden pcap on loopback (needs root, a JDK 17+, Maven with access to Maven Central once,
# curl with nghttp2, tcpdump): H2cUpgradeServer (Jetty 12.1, src/test/recording/h2c-upgrade) listens on
# 127.0.0.1:18093, speaks HTTP/1.1 and switches to HTTP/2 on "Upgrade: h2c"; curl --http2 asks for the upgrade
# (RFC 7540 section 3.2): the upgrade request and the 101 are HTTP/1, the rest of the connection HTTP/2, where
# stream 1 carries the response to the upgrade request. Writes ../resources/http2/h2c-upgrade.pcap.
# Then run Http2UpgradeGoldenTest once with -Dgolden.update=true and read the diff of h2c-upgrade.messages.jsonl.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../resources/http2
work=$(mktemp -d)
mkdir -p "$out"
(cd "$here/h2c-upgrade" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt")
java -cp "$(cat "$work/cp.txt")" "$here/h2c-upgrade/H2cUpgradeServer.java" 18093 >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for i in $(seq 1 60); do grep -q listening "$work/server.log" && break; sleep 1; done
tcpdump -U -s 0 -i lo -w "$out/h2c-upgrade.pcap" "tcp port 18093" >/dev/null 2>&1 &
dump=$!
sleep 1
# 1. One upgraded request with trace headers: GET /hello answered on stream 1.
curl -s -o /dev/null --http2 -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
    -H 'X-Request-Id: up-1' http://127.0.0.1:18093/hello
# 2. The upgrade on the first URL, the next two as HTTP/2 streams 3 and 5 on the same connection.
curl -s -o /dev/null -o /dev/null -o /dev/null --http2 http://127.0.0.1:18093/first \
    http://127.0.0.1:18093/missing http://127.0.0.1:18093/third
# 3. A plain HTTP/1.1 request on a connection that never upgrades.
curl -s -o /dev/null --http1.1 http://127.0.0.1:18093/plain
sleep 1
kill $dump; wait $dump || true
