#!/usr/bin/env python3
"""Recording TCP proxy: forwards 127.0.0.1:LISTEN to 127.0.0.1:TARGET and writes, for the N-th accepted
connection, PREFIX-N.client.bin (bytes the client sent) and PREFIX-N.server.bin (bytes the server sent).
Stops after one connection unless --connections says otherwise."""
import socket, sys, threading, argparse

def pump(src, dst, out):
    with open(out, 'wb') as f:
        while True:
            data = src.recv(65536)
            if not data:
                break
            f.write(data)
            dst.sendall(data)
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('listen', type=int)
    ap.add_argument('target', type=int)
    ap.add_argument('prefix')
    ap.add_argument('--connections', type=int, default=1)
    a = ap.parse_args()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', a.listen))
    ls.listen(1)
    print('ready', flush=True)
    for n in range(a.connections):
        c, _ = ls.accept()
        s = socket.create_connection(('127.0.0.1', a.target))
        name = a.prefix if a.connections == 1 else f'{a.prefix}-{n + 1}'
        t1 = threading.Thread(target=pump, args=(c, s, name + '.client.bin'))
        t2 = threading.Thread(target=pump, args=(s, c, name + '.server.bin'))
        t1.start(); t2.start(); t1.join(); t2.join()
        c.close(); s.close()

main()
