#!/bin/sh
# nginx 1.22 serving HTTP/2 two ways at once, for itests/live-protocols' Http2NginxLiveIT (run as root):
#  - h2c with prior knowledge on PORT: the same curl requests as record.sh (whose pcap is the h2c-curl golden);
#  - HTTP/2 over TLS on TLS_PORT (`listen ... ssl http2`, a throw-away self-signed certificate, ALPN h2): only
#    live capture sees its plaintext, through the uprobes on OpenSSL's SSL_read/SSL_write in nginx and curl.
# Needs: apt-get install nginx-light curl openssl tcpdump. Writes h2c-nginx.pcap and h2-tls-nginx.pcap to OUTDIR.
# Usage: [PORT=17582] [TLS_PORT=17583] record-nginx.sh [OUTDIR]   (default OUTDIR: a temporary directory)
set -eu
PORT=${PORT:-17582}
TLS_PORT=${TLS_PORT:-17583}
WORK=$(mktemp -d)
chmod 755 "$WORK"
OUT=${1:-$WORK}
nginx_pid=; dump_pid=
cleanup() {
  for p in $dump_pid $nginx_pid; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=h2.test \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat >"$WORK/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log $WORK/error.log;
pid $WORK/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/body;
  proxy_temp_path $WORK/proxy;
  fastcgi_temp_path $WORK/fastcgi;
  uwsgi_temp_path $WORK/uwsgi;
  scgi_temp_path $WORK/scgi;
  server {
    listen 127.0.0.1:$PORT http2;
    listen 127.0.0.1:$TLS_PORT ssl http2;
    ssl_certificate $WORK/cert.pem;
    ssl_certificate_key $WORK/key.pem;
    location = /hello { return 200 "hello\n"; }
    location = /created { return 201 "made\n"; }
    location = /broken { return 503 "down\n"; }
    location / { return 404; }
  }
}
CONF
nginx -c "$WORK/nginx.conf" &
nginx_pid=$!
# wait for the listeners with bare connects (no request: nothing the golden records would show)
/usr/bin/python3 - "$PORT" "$TLS_PORT" <<'PY'
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
tcpdump -U -s 0 -i lo -w "$OUT/h2c-nginx.pcap" "tcp port $PORT" >/dev/null 2>&1 &
dump_pid=$!
tcpdump -U -s 0 -i lo -w "$OUT/h2-tls-nginx.pcap" "tcp port $TLS_PORT" >/dev/null 2>&1 &
dump_pid="$dump_pid $!"
sleep 1
# h2c: exactly record.sh's requests (one connection each: curl 7.88 ends a reused prior-knowledge connection
# with an error)
for path in '/hello?x=1' /created /missing; do
  curl -s -o /dev/null --http2-prior-knowledge \
    -H 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' -H 'X-Request-Id: rec-1' \
    "http://127.0.0.1:$PORT$path" || echo "curl failed: $?" >&2
done
curl -s -o /dev/null --http2-prior-knowledge -X POST -d 'some body bytes' "http://127.0.0.1:$PORT/broken" \
  || echo "curl failed: $?" >&2
# HTTP/2 over TLS: two streams on one connection, then a POST on a second one
T="https://127.0.0.1:$TLS_PORT"
curl -s -k --http2 -H 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' \
  -H 'X-Request-Id: tls-1' "$T/hello?x=1" "$T/created" >/dev/null || echo "curl failed: $?" >&2
curl -s -k --http2 -X POST -d 'some body bytes' "$T/broken" >/dev/null || echo "curl failed: $?" >&2
sleep 1
