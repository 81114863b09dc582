#!/bin/sh
# Records this plugin's golden pcap on loopback (needs root, nginx with http_v2_module, curl, tcpdump):
# nginx serves h2c on 127.0.0.1:18082, curl talks to it with prior knowledge (one connection, several streams,
# then a second connection). Writes into ../resources/http2/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../resources/http2
mkdir -p "$out" /tmp/h2rec
nginx -c "$here/nginx.conf" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
tcpdump -U -s 0 -i lo -w "$out/h2c-curl.pcap" "tcp port 18082" >/dev/null 2>&1 &
dump=$!
sleep 1
# One connection per request: curl 7.88 (nghttp2 1.52) ends a reused prior-knowledge connection with an error.
for path in '/hello?x=1' /created /missing; do
    curl -s -o /dev/null --http2-prior-knowledge \
        -H 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' -H 'X-Request-Id: rec-1' \
        "http://127.0.0.1:18082$path" || echo "curl failed: $?" >&2
done
curl -s -o /dev/null --http2-prior-knowledge -X POST -d 'some body bytes' http://127.0.0.1:18082/broken \
    || echo "curl failed: $?" >&2
sleep 1
kill $dump; wait $dump || true
