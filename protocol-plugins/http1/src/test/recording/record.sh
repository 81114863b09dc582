#!/bin/sh
# Records the HTTP/1 fixtures in ../resources/http1/ from real nginx 1.22 and python3 http.server responses
# (and real curl requests), through proxy.py. Needs nginx (with the echo module), curl and python3.
# The tests never run this: they read the recorded files.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/../resources/http1
W=/tmp/deeptrace-rec
rm -rf $W && mkdir -p $W/www $W/body "$OUT"
printf '<html><body>DeepTrace test page</body></html>\n' > $W/www/index.html
printf '<html><body>About</body></html>\n' > $W/www/about.html
python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) % 256 for i in range(100000)))" > $W/www/big.bin
touch -d '2024-01-02 03:04:05 UTC' $W/www/*
nginx -c $HERE/nginx.conf & NGINX=$!
python3 -m http.server 18081 --bind 127.0.0.1 --directory $W/www >/dev/null 2>&1 & PYSRV=$!
trap 'kill $NGINX $PYSRV 2>/dev/null' EXIT
sleep 1

rec() { # rec NAME TARGETPORT COMMAND...: record one connection of COMMAND (which talks to port 18090)
    name=$1; port=$2; shift 2
    python3 $HERE/proxy.py 18090 $port "$OUT/$name" > $W/proxy.out & P=$!
    while ! grep -q ready $W/proxy.out 2>/dev/null; do sleep 0.1; done
    "$@" > /dev/null 2>> $W/curl.log
    wait $P
}
U=http://127.0.0.1:18090
rec keepalive 18080 curl -sv -H 'X-Request-Id: ka-1' $U/index.html $U/about.html "$U/index.html?lang=en&x=1"
rec pipelined 18080 python3 $HERE/client.py 18090 pipelined
rec chunked-trailers 18080 curl -sv --raw -H 'TE: trailers' $U/stream
rec head 18080 curl -sv -I $U/big.bin
rec expect-continue 18080 curl -sv -H 'Expect: 100-continue' --data-binary 'name=deeptrace&kind=test' $U/upload
ETAG=$(curl -sI http://127.0.0.1:18080/index.html | tr -d '\r' | sed -n 's/^ETag: //p')
rec nocontent-notmodified 18080 curl -sv -H "If-None-Match: $ETAG" $U/nocontent $U/index.html
rec http10-close 18080 curl -sv --http1.0 $U/stream
rec big-then-small 18080 curl -sv $U/big.bin $U/about.html
rec errors 18080 curl -sv $U/missing-thing $U/broken
rec traces 18080 python3 $HERE/client.py 18090 traces
rec python-http-server 18081 curl -sv $U/index.html
ls -l "$OUT"
