#!/bin/sh
# Records the Thrift golden pcaps on loopback (run as root, from any directory).
# Needs: apt-get install python3-thrift thrift-compiler tcpdump. The tests themselves need none of these.
# Usage: [PORT=19090] [HEADER_PORT=17800] [SETS="classic header-json"] record.sh [OUTDIR]
#   (default OUTDIR: ../resources/thrift next to this script). SETS picks what is recorded:
#   classic      binary/compact, framed/buffered, non-strict: five servers on PORT..PORT+4
#   header-json  THeader (binary, compact) and TJSONProtocol (framed, buffered): four servers on
#                HEADER_PORT..HEADER_PORT+3
#   itests/live-protocols runs it on other ports.
set -eu
PORT=${PORT:-19090}
HEADER_PORT=${HEADER_PORT:-17800}
SETS=${SETS:-classic header-json}
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

for set in $SETS; do
  case $set in
    classic)
      record thrift-binary-framed $((PORT + 0)) binary framed
      record thrift-binary-buffered $((PORT + 1)) binary buffered
      record thrift-binary-buffered-nonstrict $((PORT + 2)) binary buffered nonstrict
      record thrift-compact-framed $((PORT + 3)) compact framed
      record thrift-compact-buffered $((PORT + 4)) compact buffered
      ;;
    header-json)
      record thrift-header-binary $((HEADER_PORT + 0)) binary header
      record thrift-header-compact $((HEADER_PORT + 1)) compact header
      record thrift-json-framed $((HEADER_PORT + 2)) json framed
      record thrift-json-buffered $((HEADER_PORT + 3)) json buffered
      ;;
    *) echo "unknown set: $set" >&2; exit 2 ;;
  esac
done
