#!/bin/sh
# Records the Thrift golden pcaps on loopback (run as root, from any directory).
# Needs: apt-get install python3-thrift thrift-compiler tcpdump. The tests themselves need none of these.
# Usage: record.sh [OUTDIR]   (default: ../resources/thrift next to this script)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../resources/thrift}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
thrift --gen py -out "$WORK" "$HERE/store.thrift"
mv "$WORK/store" "$WORK/store.tmp"; mkdir -p "$WORK/gen-py"; mv "$WORK/store.tmp" "$WORK/gen-py/store"
DEMO="/usr/bin/python3 $HERE/store_demo.py"

# record NAME PORT PROTOCOL TRANSPORT [nonstrict]: one server, one client run, one pcap
record() {
  name=$1; port=$2; protocol=$3; transport=$4; shift 4
  $DEMO server "$port" "$protocol" "$transport" "$WORK/gen-py" >"$WORK/server.log" 2>&1 &
  server=$!
  sleep 1
  tcpdump -i lo -U -w "$OUT/$name.pcap" "tcp port $port" 2>/dev/null &
  dump=$!
  sleep 1
  $DEMO client "$port" "$protocol" "$transport" "$@" "$WORK/gen-py"
  sleep 1
  kill "$dump"; wait "$dump" || true
  kill "$server"; wait "$server" || true
}

record thrift-binary-framed 19090 binary framed
record thrift-binary-buffered 19091 binary buffered
record thrift-binary-buffered-nonstrict 19092 binary buffered nonstrict
record thrift-compact-framed 19093 compact framed
record thrift-compact-buffered 19094 compact buffered
