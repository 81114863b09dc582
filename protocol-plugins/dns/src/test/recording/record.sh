#!/bin/sh
# Records this plugin's golden pcaps on loopback (needs root, tcpdump, dnsmasq, dig from dnsutils).
# dnsmasq answers for the zone "test" on 127.0.0.1:53 and [::1]:53; dig asks over UDP and TCP (one connection
# carrying several queries with +keepopen). Writes into ../resources/dns/.
# Usage: [PORT=53] record.sh [OUTDIR]   (itests/live-protocols runs it on another port into its own directory)
set -eu
out=${1:-../resources/dns}
PORT=${PORT:-53}
export PORT
mkdir -p "$out"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1,::1 --port="$PORT" \
    --local=/test/ --address=/svc.test/10.1.2.3 --address=/v6.test/2001:db8::5 \
    --mx-host=mail.test,mx1.svc.test,10 --txt-record=info.test,"hello dns" \
    --cname=alias.test,svc.test --pid-file=/tmp/dnsmasq-record.pid >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
capture() { # file, then the dig commands in "$@" run through sh -c
    file=$1; shift
    tcpdump -U -s 0 -i lo -w "$out/$file" "port $PORT" >/dev/null 2>&1 &
    dump=$!
    sleep 1
    sh -c "$*" >/dev/null
    sleep 1
    kill $dump; wait $dump || true
}
capture dns-udp.pcap 'dig -p $PORT @127.0.0.1 svc.test A; dig -p $PORT @127.0.0.1 v6.test AAAA; dig -p $PORT @127.0.0.1 mail.test MX;
    dig -p $PORT @127.0.0.1 info.test TXT; dig -p $PORT @127.0.0.1 nope.test A; dig -p $PORT @127.0.0.1 alias.test A; dig -p $PORT @::1 svc.test A'
capture dns-tcp.pcap 'dig -p $PORT +tcp +keepopen @127.0.0.1 svc.test A v6.test AAAA nope.test A; dig -p $PORT +tcp @::1 mail.test MX'
