# Test client for RedisCaptureTest: waits for "go" on stdin (the capture adds this pid to its filter first),
# then talks RESP to redis on 127.0.0.1:PORT: N SETs with send/recv, one SET through os.writev, one SET and
# GET of a value larger than the capture's payload prefix. Prints "done" and exits.
import os, socket, sys

port, n, big = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
sys.stdin.readline()
s = socket.create_connection(("127.0.0.1", port))

def cmd(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out

def read_reply(expect_len):
    got = b""
    while len(got) < expect_len:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("connection closed")
        got += chunk
    return got

for i in range(n):
    s.sendall(cmd("SET", "key:%d" % i, "value-%d" % i))
    read_reply(5)
parts = [b"*3\r\n$3\r\nSET\r\n", b"$6\r\nvector\r\n", b"$5\r\nwritv\r\n"]
os.writev(s.fileno(), parts)
read_reply(5)
value = (b"0123456789abcdef" * (big // 16 + 1))[:big]
s.sendall(cmd("SET", "big", value))
read_reply(5)
s.sendall(cmd("GET", "big"))
read_reply(len(b"$%d\r\n" % big) + big + 2)
s.close()
print("done", flush=True)
