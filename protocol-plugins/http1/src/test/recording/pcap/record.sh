#!/bin/sh
# Records the HTTP/1 golden pcap on loopback with tcpdump: curl and a python client -> nginx (static files, and
# proxy_pass with upstream keep-alive) -> a python3 http.server backend (backend.py). Both legs are in the pcap.
# Run as root. Needs: apt-get install nginx-light curl tcpdump python3. The tests themselves need none of these.
# Usage: [PORT=17580] [BACKEND_PORT=PORT+1] record.sh [OUTDIR]
#   (default OUTDIR: bundles/testkit-pcap/src/test/resources/http1, where Http1NginxGoldenTest replays it;
#   itests/live-protocols' HttpLiveIT runs it into its own directory under live capture, on the same ports,
#   since the Host header curl sends carries the port.)
set -eu
PORT=${PORT:-17580}
BACKEND_PORT=${BACKEND_PORT:-$((PORT + 1))}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../../../../../../bundles/testkit-pcap/src/test/resources/http1}
mkdir -p "$OUT"
WORK=$(mktemp -d)
chmod 755 "$WORK"
nginx_pid=; backend_pid=; dump_pid=
cleanup() {
  for p in $dump_pid $nginx_pid $backend_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/www"
printf '<html><body>DeepTrace test page</body></html>\n' >"$WORK/www/index.html"
printf '<html><body>About</body></html>\n' >"$WORK/www/about.html"
python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) % 256 for i in range(100000)))" >"$WORK/www/big.bin"
python3 -c "import sys; sys.stdout.buffer.write(bytes(65 + i % 26 for i in range(20000)))" >"$WORK/upload.bin"
touch -d '2024-01-02 03:04:05 UTC' "$WORK"/www/*
chmod -R a+rX "$WORK/www"
# nginx's ETag is "<mtime hex>-<size hex>": computed here, so no request is made to learn it
ETAG=$(printf '"%x-%x"' "$(stat -c %Y "$WORK/www/index.html")" "$(stat -c %s "$WORK/www/index.html")")

cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $WORK/body;
  proxy_temp_path $WORK/proxy;
  fastcgi_temp_path $WORK/fastcgi;
  uwsgi_temp_path $WORK/uwsgi;
  scgi_temp_path $WORK/scgi;
  keepalive_requests 100;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 4; }
  server {
    listen 127.0.0.1:$PORT;
    root $WORK/www;
    # Debian's own nginx.conf has sendfile on: the body leaves in sendfile(), a syscall the capture does not
    # record; only the TCP sequence numbers of the next write show the bytes it sent
    location /sf/ {
      sendfile on;
      alias $WORK/www/;
    }
    location /api/ {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF

/usr/bin/python3 "$HERE/backend.py" "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 &
backend_pid=$!
nginx -c "$WORK/nginx.conf" &
nginx_pid=$!
# wait for both listeners with bare connects (no HTTP request: nothing that the golden records would show)
/usr/bin/python3 - "$PORT" "$BACKEND_PORT" <<'PY'
import socket, sys, time
for port in map(int, sys.argv[1:]):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("nothing listens on port %d" % port)
PY
tcpdump -i lo -U -s 0 -w "$OUT/nginx-python.pcap" "tcp port $PORT or tcp port $BACKEND_PORT" 2>/dev/null &
dump_pid=$!
sleep 1

U="http://127.0.0.1:$PORT"
TP='traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
# keep-alive: three requests on one connection, two static files and one proxied to the backend
curl -s -H 'X-Request-Id: ka-1' -H "$TP" "$U/index.html" "$U/about.html" "$U/api/items?id=7" >/dev/null
# pipelined: three requests in one send(), the last with Connection: close
/usr/bin/python3 "$HERE/client.py" "$PORT" pipelined
# POST with a small body (no Expect)
curl -s -H 'Expect:' -H 'Content-Type: application/json' --data-binary '{"name":"deeptrace","kind":"test"}' \
  "$U/api/items" >/dev/null
# chunked: the backend streams without a length, nginx re-chunks it
curl -s "$U/api/stream" >/dev/null
# errors: 404 from nginx, 404 and 500 from the backend
curl -s "$U/missing.html" "$U/api/missing" "$U/api/fail" >/dev/null
# HEAD of a large file: Content-Length without a body
curl -s -I "$U/big.bin" >/dev/null
# 304: If-None-Match with the file's ETag
curl -s -H "If-None-Match: $ETAG" "$U/index.html" >/dev/null
# bodies larger than the capture's 4 KiB payload prefix: 100 kB static, 60 kB from the backend
curl -s "$U/big.bin" "$U/api/big" >/dev/null
# Expect: 100-continue with a 20 kB body: nginx answers 100 Continue, then proxies the whole body
curl -s -H 'Expect: 100-continue' -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/upload.bin" \
  "$U/api/upload" >/dev/null
# static files through sendfile(): 100 kB then a small one on one connection
curl -s "$U/sf/big.bin" "$U/sf/about.html" >/dev/null
sleep 1
