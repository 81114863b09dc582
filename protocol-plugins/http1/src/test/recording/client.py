#!/usr/bin/env python3
"""Sends raw requests over one connection and reads until the server closes it.
Usage: client.py PORT MODE. MODE 'pipelined' writes all requests in one send(); 'sequential' sends each request
after the previous response has arrived (a short pause stands in for parsing)."""
import socket, sys, time

PIPELINED = (
    b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: deeptrace-recorder\r\nX-Request-Id: pipe-1\r\n\r\n"
    b"HEAD /big.bin?probe=1 HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: deeptrace-recorder\r\nX-Request-Id: pipe-2\r\n\r\n"
    b"GET /about.html HTTP/1.1\r\nHost: 127.0.0.1:18080\r\nUser-Agent: deeptrace-recorder\r\nX-Request-Id: pipe-3\r\nConnection: close\r\n\r\n"
)

def trace_requests():
    common = b"Host: 127.0.0.1:18080\r\nUser-Agent: deeptrace-recorder\r\n"
    heads = [
        b"traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nX-Request-Id: req-w3c\r\n",
        b"uber-trace-id: 5b8aa5a2d2c872e8321cf37308d69df2:51a7e9a2f6ba2c3d:0:1\r\n",
        b"X-B3-TraceId: 80f198ee56343ba864fe8b2a57d3eff7\r\nX-B3-SpanId: e457b5a2e4d86bd1\r\nX-B3-Sampled: 1\r\n",
        b"b3: 80f198ee56343ba864fe8b2a57d3eff7-05e3ac9a4f6e3b90-1-e457b5a2e4d86bd1\r\n",
        # sw8: 1-base64(traceId)-base64(segmentId)-spanId-base64(service)-base64(instance)-base64(endpoint)-base64(target)
        b"sw8: 1-YTEyMy5iNDU2LmM3ODk=-c2VnbWVudC0x-3-c2VydmljZQ==-aW5zdGFuY2U=-L2FwaQ==-MTI3LjAuMC4xOjE4MDgw\r\n",
    ]
    reqs = []
    for i, h in enumerate(heads):
        last = i == len(heads) - 1
        reqs.append(b"GET /index.html?trace=" + str(i).encode() + b" HTTP/1.1\r\n" + common + h
                    + (b"Connection: close\r\n" if last else b"") + b"\r\n")
    return reqs

def read_all(s):
    out = b''
    while True:
        d = s.recv(65536)
        if not d:
            return out
        out += d

def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    s = socket.create_connection(('127.0.0.1', port))
    if mode == 'pipelined':
        s.sendall(PIPELINED)
        read_all(s)
    elif mode == 'traces':
        for r in trace_requests():
            s.sendall(r)
            time.sleep(0.2)
        read_all(s)
    s.close()

main()
