#!/bin/sh
# Records this plugin's golden pcaps on loopback (needs root, tcpdump, openssl, curl). A throw-away self-signed
# certificate for tls.test; openssl s_server answers on 127.0.0.1:8443 (ALPN http/1.1); curl connects with SNI
# tls.test. Writes into ../resources/tls/.
# Usage: [PORT13=8443] [PORT12=8444] record.sh [OUTDIR]   (itests/live-protocols runs it on other ports)
set -eu
out=${1:-../resources/tls}
PORT13=${PORT13:-8443}
PORT12=${PORT12:-8444}
mkdir -p "$out"
dir=$(mktemp -d)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=tls.test -days 3650 \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
serve() { # port, extra s_server options
    port=$1; shift
    openssl s_server -quiet -www -accept "$port" -cert "$dir/cert.pem" -key "$dir/key.pem" -alpn http/1.1 "$@" \
        >/dev/null 2>&1 &
    echo $!
}
s13=$(serve "$PORT13")
s12=$(serve "$PORT12" -tls1_2)
trap 'kill $s13 $s12 2>/dev/null || true; rm -rf "$dir"' EXIT
sleep 1
capture() { # file, filter, then the commands run through sh -c
    file=$1; filter=$2; shift 2
    tcpdump -U -s 0 -i lo -w "$out/$file" "$filter" >/dev/null 2>&1 &
    dump=$!
    sleep 1
    sh -c "$*" >/dev/null 2>&1 || true
    sleep 1
    kill $dump; wait $dump || true
}
r13="--resolve tls.test:$PORT13:127.0.0.1"
r12="--resolve tls.test:$PORT12:127.0.0.1"
# TLS 1.3 (a successful request), TLS 1.2 (a successful request, ALPN visible in the ServerHello).
capture tls13.pcap "tcp port $PORT13" "curl -sk $r13 https://tls.test:$PORT13/"
capture tls12.pcap "tcp port $PORT12" "curl -sk --tls-max 1.2 $r12 https://tls.test:$PORT12/"
# Alerts: curl rejects the self-signed certificate (TLS 1.2: the client's alert is still plaintext), and the
# TLS 1.2-only server refuses a client that offers at most TLS 1.1.
capture tls-alerts.pcap "tcp port $PORT12" "curl -s --tls-max 1.2 $r12 https://tls.test:$PORT12/;
    curl -sk --tlsv1.0 --tls-max 1.1 --ciphers DEFAULT@SECLEVEL=0 $r12 https://tls.test:$PORT12/"
