#!/bin/sh
# Records redis-cli / redis-benchmark against a throw-away redis-server on loopback (run as root).
# Usage: record.sh OUTDIR
set -eu
OUT=${1:-.}
PORT=${PORT:-16379}
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/tmp/redis-rec.log 2>&1 &
RS=$!
sleep 0.5
tcpdump -i lo -U -w "$OUT/redis-cli.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
C="redis-cli -p $PORT"
$C SET user:1 alice >/dev/null
$C GET user:1 >/dev/null
$C GET missing >/dev/null
$C MSET a 1 b 2 >/dev/null
$C MGET a b nope >/dev/null
$C HSET h f1 v1 f2 v2 >/dev/null
$C HGETALL h >/dev/null
$C RPUSH l x y z >/dev/null
$C LRANGE l 0 -1 >/dev/null
$C INCR user:1 >/dev/null || true
$C LPUSH user:1 q >/dev/null || true
$C NOSUCHCMD >/dev/null || true
$C CONFIG GET maxmemory >/dev/null
printf 'PING\r\nSET inline v\r\n' | $C >/dev/null || true
printf 'SET p1 v1\r\nGET p1\r\nINCR n\r\nGET n\r\n' | $C --pipe >/dev/null
$C -3 HGETALL h >/dev/null
$C -3 SMEMBERS nosuch >/dev/null
$C -3 GET missing >/dev/null
sleep 1
kill "$TD"; wait "$TD" || true
tcpdump -i lo -U -w "$OUT/redis-pipelined.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
redis-benchmark -p "$PORT" -P 16 -n 64 -c 1 -t set,get -q >/dev/null
sleep 1
kill "$TD"; wait "$TD" || true
tcpdump -i lo -U -w "$OUT/redis-resp3-pubsub.pcap" "tcp port $PORT" 2>/dev/null &
TD=$!
sleep 1
head -c 200000 /dev/zero | tr '\0' 'v' | $C -x SET big >/dev/null
$C STRLEN big >/dev/null
timeout 2 $C -3 SUBSCRIBE news >/dev/null &
SUB=$!
sleep 0.5
$C PUBLISH news hello >/dev/null
$C PUBLISH news again >/dev/null
wait "$SUB" || true
sleep 1
kill "$TD"; wait "$TD" || true
kill "$RS"; wait "$RS" || true
