#!/usr/bin/env python3
"""The middle tier of the bench/datasets workload: http.server.ThreadingHTTPServer (a thread per connection),
HTTP/1.1 keep-alive towards its callers, a fresh http.client connection per call to its child. Standard library only.

    /b/profile  leaf: a little work, echoes the X-Request-Id
    /b/chain    GET C_BASE/c/chain with the same X-Request-Id, then answers

    middle.py LISTEN_IP PORT C_HOST C_PORT
"""
import http.client
import random
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True      # headers and body are two writes: without it, a 40 ms delayed-ACK stall

    def do_GET(self):
        rid = self.headers.get("X-Request-Id", "-")
        if self.path.startswith("/b/chain"):
            conn = http.client.HTTPConnection(C_HOST, C_PORT, timeout=30)
            try:
                conn.request("GET", "/c/chain", headers={"X-Request-Id": rid})
                child = conn.getresponse().read()
            finally:
                conn.close()
            body = '{"id":"%s","svc":"middle","route":"chain","c":%d}' % (rid, len(child))
        else:
            time.sleep(random.random() * 0.002)
            body = '{"id":"%s","svc":"middle","route":"profile"}' % rid
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Request-Id", rid)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    C_HOST, C_PORT = sys.argv[3], int(sys.argv[4])
    server = ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler)
    server.daemon_threads = True
    server.request_queue_size = 1024
    print("middle ready", flush=True)
    server.serve_forever()
