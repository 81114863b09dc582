#!/bin/sh
# Records the pcap fixtures of this bundle's tests on loopback (needs root, tcpdump, python3, curl).
# HTTP/1.1 exchanges against python3's http.server, captured three ways: Ethernet framing on lo (micro-second
# pcap), Linux cooked v2 on "any" (nano-second pcap), and Linux cooked v1 (-y LINUX_SLL). Run from this directory;
# writes into ../resources/pcap/.
set -eu
out=../resources/pcap
mkdir -p "$out"
port=18080
dir=$(mktemp -d)
echo hello > "$dir/hello.txt"
python3 -m http.server "$port" --bind :: --directory "$dir" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
sleep 1
capture() { # file, tcpdump options...
    file=$1; shift
    tcpdump -U -s 0 -w "$out/$file" "$@" "tcp port $port" >/dev/null 2>&1 &
    dump=$!
    sleep 1
    curl -s -o /dev/null -o /dev/null "http://127.0.0.1:$port/hello.txt" "http://127.0.0.1:$port/missing"
    curl -s -o /dev/null -g "http://[::1]:$port/hello.txt"
    sleep 1
    kill $dump; wait $dump || true
}
capture http-lo-ethernet.pcap -i lo
capture http-any-sll2.pcap -i any --time-stamp-precision=nano
capture http-lo-sll.pcap -i any -y LINUX_SLL
