#!/bin/sh
# Records the FastCGI golden pcap on loopback: curl -> nginx -> (fastcgi_pass 127.0.0.1:19000) -> php-fpm.
# Run as root. Needs: apt-get install nginx-light php-fpm curl tcpdump. The tests themselves need none of these.
# Usage: record.sh [OUTDIR]   (default: ../resources/fastcgi next to this script)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../resources/fastcgi}
FPM_PORT=${FPM_PORT:-19000}
WEB_PORT=${WEB_PORT:-18088}
WORK=$(mktemp -d)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
cp -r "$HERE/www" "$WORK/www"
chmod -R a+rX "$WORK/www"
FPM=$(ls /usr/sbin/php-fpm* | head -n 1)

cat >"$WORK/fpm.conf" <<CONF
[global]
pid = $WORK/fpm.pid
error_log = $WORK/fpm.log
daemonize = no
[www]
user = www-data
group = www-data
listen = 127.0.0.1:$FPM_PORT
pm = static
pm.max_children = 2
catch_workers_output = no
CONF

cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/body;
  fastcgi_temp_path $WORK/fastcgi;
  proxy_temp_path $WORK/proxy;
  uwsgi_temp_path $WORK/uwsgi;
  scgi_temp_path $WORK/scgi;
  upstream php { server 127.0.0.1:$FPM_PORT; keepalive 4; }
  server {
    listen 127.0.0.1:$WEB_PORT;
    root $WORK/www;
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_param HTTP_TRACEPARENT \$http_traceparent if_not_empty;
      fastcgi_keep_conn on;
      fastcgi_pass php;
    }
  }
}
CONF

"$FPM" -F -y "$WORK/fpm.conf" &
fpm=$!
nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
web=$!
sleep 1
tcpdump -i lo -U -s 0 -w "$OUT/fastcgi-nginx-php-fpm.pcap" "tcp port $FPM_PORT" 2>/dev/null &
dump=$!
sleep 1
U="http://127.0.0.1:$WEB_PORT"
curl -s -o /dev/null "$U/index.php?user=alice&page=2" -H 'Host: shop.example'
curl -s -o /dev/null "$U/index.php" -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
  -H 'X-Request-Id: req-42'
curl -s -o /dev/null -X POST --data-binary "@$HERE/www/index.php" "$U/post.php?v=1" -H 'Content-Type: text/plain'
head -c 100000 /dev/zero | tr '\0' 'p' | curl -s -o /dev/null -X PUT --data-binary @- "$U/post.php"
curl -s -o /dev/null "$U/missing.php"
curl -s -o /dev/null "$U/fail.php"
curl -s -o /dev/null "$U/big.php"
sleep 1
kill "$dump"; wait "$dump" || true
kill "$web"; wait "$web" || true
kill "$fpm"; wait "$fpm" || true
