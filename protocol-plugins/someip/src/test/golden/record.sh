#!/bin/sh
# Records the SYNTHETIC SOME/IP fixture: SomeIpTraffic.java encodes SOME/IP by the specification (no real SOME/IP
# implementation is installable here) and sends it over real loopback TCP/UDP sockets; tcpdump records it.
# Run as root; needs tcpdump and a JDK 17 (source-file mode, nothing to build).
# Usage: [PORT=17700] src/test/golden/record.sh [OUTDIR]   (default OUTDIR: src/test/resources/someip, the
#   checked-in fixture). Without PORT: SOME/IP's own ports (SD 30490 at both ends, TCP 30501, UDP 30502); with
#   PORT: SD service on PORT, TCP on PORT+1, UDP on PORT+2, SD client on PORT+3 (itests/live-protocols: the SD
#   client on a port of its own keeps the server side of the capture to one socket per datagram).
set -eu
OUT=$(cd "${1:-$(dirname "$0")/../resources/someip}" && pwd)
cd "$(dirname "$0")"
if [ -n "${PORT:-}" ]; then
  SD_PORT=$PORT; TCP_PORT=$((PORT + 1)); UDP_PORT=$((PORT + 2)); SD_CLIENT_PORT=$((PORT + 3))
else
  SD_PORT=30490; TCP_PORT=30501; UDP_PORT=30502; SD_CLIENT_PORT=30490
fi
export SD_PORT TCP_PORT UDP_PORT SD_CLIENT_PORT
tcpdump -i lo -U -w "$OUT/someip-synthetic.pcap" "port $SD_PORT or port $TCP_PORT or port $UDP_PORT" 2>/dev/null &
TD=$!
sleep 1
java SomeIpTraffic.java
sleep 1
kill "$TD"; wait "$TD" || true
