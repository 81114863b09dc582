#!/usr/bin/env python3
"""A server and a client of the example protocol on 127.0.0.1:7070, to record a pcap with tcpdump (record.sh).

The protocol: every message is one header line and a body of the length the header announces.
    REQ <id> <verb> <resource> <length>\r\n<body>     (client)
    RES <id> <code> <length>\r\n<body>                (server)
The server answers SLOW requests after 300 ms on another thread, so pipelined requests get their responses out of
order: only the id pairs them.
"""
import socket
import threading
import time

PORT = 7070
STORE = {"/users/42": b'{"name":"alice"}'}


def read_line(f):
    line = f.readline(2048)
    return line if line.endswith(b"\r\n") else None


def serve_connection(conn):
    lock = threading.Lock()
    f = conn.makefile("rb")

    def answer(rid, code, body=b""):
        with lock:
            conn.sendall(b"RES %d %d %d\r\n" % (rid, code, len(body)) + body)

    while True:
        line = read_line(f)
        if line is None:
            break
        parts = line[:-2].split(b" ")
        if len(parts) != 5 or parts[0] != b"REQ":
            answer(0, 400, b"bad header")
            continue
        rid, verb, resource, length = int(parts[1]), parts[2], parts[3].decode(), int(parts[4])
        body = f.read(length)
        path = resource.split("?")[0]
        if verb == b"GET":
            if path in STORE:
                answer(rid, 200, STORE[path])
            else:
                answer(rid, 404, b"no such resource: " + path.encode())
        elif verb == b"PUT":
            STORE[path] = body
            answer(rid, 201)
        elif verb == b"SLOW":
            threading.Thread(target=lambda r=rid: (time.sleep(0.3), answer(r, 200, b"done"))).start()
        else:
            answer(rid, 400, b"unknown verb: " + verb)
    conn.close()


def server(ready):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", PORT))
    s.listen()
    ready.set()
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve_connection, args=(conn,), daemon=True).start()


def request(rid, verb, resource, body=b""):
    return b"REQ %d %s %s %d\r\n" % (rid, verb, resource, len(body)) + body


def read_responses(f, n):
    for _ in range(n):
        header = read_line(f).split(b" ")
        f.read(int(header[3]))


def client():
    # Connection 1: a response, an error with a message, out-of-order answers to pipelined requests, a body far
    # larger than the snap length (its segments are truncated: the parser sees gaps inside the body).
    c = socket.create_connection(("127.0.0.1", PORT))
    f = c.makefile("rb")
    c.sendall(request(1, b"GET", b"/users/42?fields=name"))
    read_responses(f, 1)
    c.sendall(request(2, b"PUT", b"/users/43", b'{"name":"bob"}'))
    read_responses(f, 1)
    c.sendall(request(3, b"GET", b"/users/99"))
    read_responses(f, 1)
    c.sendall(request(4, b"SLOW", b"/reports/daily") + request(5, b"GET", b"/users/43"))
    read_responses(f, 2)
    c.sendall(request(6, b"PUT", b"/blobs/big", b"x" * 200000))
    read_responses(f, 1)
    c.sendall(request(7, b"FROB", b"/x"))
    read_responses(f, 1)
    c.close()
    time.sleep(0.2)
    # Connection 2: garbage in the middle of a healthy connection; the parser reports it and resynchronises.
    c = socket.create_connection(("127.0.0.1", PORT))
    f = c.makefile("rb")
    c.sendall(request(1, b"GET", b"/users/42"))
    read_responses(f, 1)
    c.sendall(b"HELLO THERE\r\n")
    read_responses(f, 1)
    c.sendall(request(2, b"GET", b"/users/43"))
    read_responses(f, 1)
    c.close()


if __name__ == "__main__":
    ready = threading.Event()
    threading.Thread(target=server, args=(ready,), daemon=True).start()
    ready.wait()
    client()
    time.sleep(0.2)
