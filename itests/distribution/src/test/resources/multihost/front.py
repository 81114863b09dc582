"""Front service (host a): for each GET, calls the backend on the other host over a fresh connection."""
import http.server, http.client, sys
backend_host, backend_port = sys.argv[3], int(sys.argv[4])
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        c = http.client.HTTPConnection(backend_host, backend_port, timeout=5)
        c.request("GET", "/item" + self.path); r = c.getresponse(); inner = r.read(); c.close()
        body = b'{"front":' + inner + b'}'
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), H).serve_forever()
