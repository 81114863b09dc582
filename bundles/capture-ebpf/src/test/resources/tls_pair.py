# Test helper for TlsCaptureTest: a TLS server thread and a TLS client in one process (OpenSSL through Python's
# ssl module). Prints "ready" once libssl is mapped, waits for a line on stdin, then the client sends an HTTP
# request over TLS and the server answers. Prints "PORT" at the end.
import socket, ssl, sys, threading

cert, key = sys.argv[1], sys.argv[2]
print("ready", flush=True)
sys.stdin.readline()
srv_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv_ctx.load_cert_chain(cert, key)
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)
port = listener.getsockname()[1]

def serve():
    conn, _ = listener.accept()
    with srv_ctx.wrap_socket(conn, server_side=True) as tls:
        data = b""
        while b"\r\n\r\n" not in data:
            data += tls.recv(4096)
        tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret")

t = threading.Thread(target=serve)
t.start()
cli_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
cli_ctx.check_hostname = False
cli_ctx.verify_mode = ssl.CERT_NONE
with cli_ctx.wrap_socket(socket.create_connection(("127.0.0.1", port))) as tls:
    tls.sendall(b"GET /secret HTTP/1.1\r\nHost: localhost\r\n\r\n")
    reply = b""
    while not reply.endswith(b"secret"):
        reply += tls.recv(4096)
t.join()
print(port, flush=True)
