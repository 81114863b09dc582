#!/bin/sh
# Records the SYNTHETIC SOME/IP fixture: SomeIpTraffic.java encodes SOME/IP by the specification (no real SOME/IP
# implementation is installable here) and sends it over real loopback TCP/UDP sockets; tcpdump records it.
# Run as root; needs tcpdump and a JDK 17 (source-file mode, nothing to build).
# Usage: src/test/golden/record.sh [OUTDIR]   (default: src/test/resources/someip, the checked-in fixture)
set -eu
OUT=$(cd "${1:-$(dirname "$0")/../resources/someip}" && pwd)
cd "$(dirname "$0")"
tcpdump -i lo -U -w "$OUT/someip-synthetic.pcap" "port 30490 or port 30501 or port 30502" 2>/dev/null &
TD=$!
sleep 1
java SomeIpTraffic.java
sleep 1
kill "$TD"; wait "$TD" || true
