#!/usr/bin/env python3
"""Closed-loop load for the bench/datasets workload: N client threads, each on its own keep-alive connection to the
front, each request alternating /api/fanout and /api/chain and carrying a fresh UUID as X-Request-Id (the marker
the truth is built from). Stops after SECONDS or when MAX requests were sent in all. Standard library only.

    loadgen.py HOST PORT CLIENTS SECONDS MAX
prints: requests <n> errors <n> rps <x>
"""
import http.client
import sys
import threading
import time
import uuid


def main():
    host, port, clients, seconds, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    lock = threading.Lock()
    state = {"sent": 0, "ok": 0, "errors": 0}
    deadline = time.monotonic() + seconds

    def take():
        with lock:
            if state["sent"] >= limit or time.monotonic() >= deadline:
                return False
            state["sent"] += 1
            return True

    def client(n):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        i = n
        while take():
            path = "/api/fanout" if i % 2 == 0 else "/api/chain"
            i += 1
            rid = str(uuid.uuid4())
            try:
                conn.request("GET", path, headers={"X-Request-Id": rid})
                resp = conn.getresponse()
                body = resp.read()
                good = resp.status == 200 and rid.encode() in body
            except (OSError, http.client.HTTPException):
                good = False
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            with lock:
                state["ok" if good else "errors"] += 1
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    print("requests %d errors %d rps %.1f" % (state["ok"], state["errors"], state["ok"] / elapsed), flush=True)
    return 0 if state["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
