#!/usr/bin/env python3
"""Raw HTTP/1.1 clients for the pcap recording (record.sh) where curl cannot: pipelined requests.
Usage: client.py PORT pipelined -- writes three requests in one send() and reads until nginx closes."""
import socket
import sys


def pipelined(port):
    host = b"Host: 127.0.0.1:%d\r\nUser-Agent: deeptrace-recorder\r\n" % port
    data = (b"GET /index.html HTTP/1.1\r\n" + host + b"X-Request-Id: pipe-1\r\n\r\n"
            + b"HEAD /big.bin?probe=1 HTTP/1.1\r\n" + host + b"X-Request-Id: pipe-2\r\n\r\n"
            + b"GET /api/items?id=1 HTTP/1.1\r\n" + host + b"X-Request-Id: pipe-3\r\nConnection: close\r\n\r\n")
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(data)
    while s.recv(65536):
        pass
    s.close()


if __name__ == "__main__":
    if sys.argv[2] == "pipelined":
        pipelined(int(sys.argv[1]))
    else:
        sys.exit("unknown mode " + sys.argv[2])
