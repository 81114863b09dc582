#!/usr/bin/env python3
"""The application server behind nginx in the HTTP/1 pcap recording (record.sh): python3's http.server speaking
HTTP/1.1 with keep-alive, answering with a Content-Length or chunked (length unknown in advance).
Usage: backend.py PORT"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: nginx reuses its upstream connection

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, body, content_type="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/api/items":
            self.reply(200, json.dumps({"items": [1, 2, 3], "query": self.path}).encode())
        elif path == "/api/stream":
            # length unknown in advance: chunked, written in three parts
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first part of a streamed body\n", b"second part\n", b"third part, done\n"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
                time.sleep(0.05)
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/api/big":
            self.reply(200, bytes((i * 13 + 5) % 256 for i in range(60000)), "application/octet-stream")
        elif path == "/api/fail":
            self.reply(500, b'{"error":"database unavailable"}')
        else:
            self.reply(404, b'{"error":"no such resource"}')

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        data = self.body()
        code = 201 if self.path.startswith("/api/items") else 200
        self.reply(code, json.dumps({"received": len(data)}).encode())


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
