#!/usr/bin/env python3
"""Ground truth and the blind variant of one capture of the bench/datasets workload. Standard library only.

    derive.py CAPTURE.jsonl[.gz] OUT_PREFIX [--expect-requests N]

Writes OUT_PREFIX.capture.jsonl.gz (the capture as recorded), OUT_PREFIX-blind.capture.jsonl.gz (every request id
replaced by the same-length constant 00000000-0000-0000-0000-000000000000: payload lengths, sizes and tcp_seq stay
as they were) and OUT_PREFIX.truth.jsonl.gz (one line per span in the shared truth format: tgid, kind, local,
remote, start_ns, end_ns, protocol, trace).

The truth is built from the records alone, independently of DeepTrace/J's parsers: per process and connection the
ingress and egress byte streams are rebuilt in tcp_seq order, HTTP/1.x and RESP (redis) messages are cut from them,
the n-th request on a connection is paired with the n-th response (no pipelining in HTTP here; redis answers in
order), and a span's trace is the request id (a UUID) its request carries: the X-Request-Id header or the redis key.
start_ns is the ts_ns of the record with the request's first byte, end_ns of the record with the response's last
byte, as in the span contract. Checks (exit 1 when one fails): no gaps or truncated records in any stream, every
request answered, every trace has the workload's 11 spans, and (with --expect-requests) as many traces as the load
generator completed.
"""
import argparse
import base64
import bisect
import gzip
import json
import re
import sys
from collections import Counter, defaultdict

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BLIND = b"00000000-0000-0000-0000-000000000000"
METHODS = (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"PATCH ", b"OPTIONS ")
SPANS_PER_TRACE = 11


def open_text(path, mode="rt"):
    if "r" in mode:
        with open(path, "rb") as f:
            gz = f.read(2) == b"\x1f\x8b"
        return gzip.open(path, mode, encoding="utf-8") if gz else open(path, mode, encoding="utf-8")
    return gzip.open(path, mode, encoding="utf-8", compresslevel=9) if path.endswith(".gz") else open(path, mode, encoding="utf-8")


class Stream:
    """One direction of one connection of one process: bytes in tcp_seq order and which record carried each."""

    def __init__(self):
        self.recs = []          # record indexes, in stream order
        self.data = b""
        self.starts = []        # stream offset of each record's first byte

    def build(self, records, problems, key):
        self.recs.sort(key=lambda i: records[i]["ts_ns"])
        parts, off, seq = [], 0, None
        for i in self.recs:
            r = records[i]
            p = r["_payload"]
            if r.get("truncated") or len(p) != r["size"]:
                problems["truncated record"].append(key)
            if seq is not None and r.get("tcp_seq") is not None and r["tcp_seq"] != seq:
                problems["tcp_seq gap"].append((key, seq, r["tcp_seq"]))
            if r.get("tcp_seq") is not None:
                seq = (r["tcp_seq"] + r["size"]) % (1 << 32)
            self.starts.append(off)
            parts.append(p)
            off += len(p)
        self.data = b"".join(parts)

    def record_at(self, offset):
        """Index of the record that carried stream byte `offset`."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.recs[lo]


def http_message(data, pos, is_request):
    """(end offset, head bytes) of the HTTP/1.x message at pos, or None when incomplete."""
    eoh = data.find(b"\r\n\r\n", pos)
    if eoh < 0:
        return None
    head = data[pos:eoh]
    body = eoh + 4
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower()] = v.strip()
    if b"content-length" in headers:
        end = body + int(headers[b"content-length"])
        return (end, head) if end <= len(data) else None
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        p = body
        while True:
            eol = data.find(b"\r\n", p)
            if eol < 0:
                return None
            n = int(data[p:eol].split(b";")[0], 16)
            p = eol + 2 + n + 2
            if n == 0:
                # trailers end with an empty line; none are used here
                return (p, head) if p <= len(data) else None
    if is_request:
        return body, head
    return len(data), head      # read until close


def resp_value(data, pos):
    """End offset of the RESP value at pos, or None when incomplete."""
    eol = data.find(b"\r\n", pos)
    if eol < 0:
        return None
    t, rest = data[pos:pos + 1], data[pos + 1:eol]
    if t in (b"+", b"-", b":"):
        return eol + 2
    if t == b"$":
        n = int(rest)
        end = eol + 2 if n < 0 else eol + 2 + n + 2
        return end if end <= len(data) else None
    if t == b"*":
        p = eol + 2
        for _ in range(max(0, int(rest))):
            p = resp_value(data, p)
            if p is None:
                return None
        return p
    raise ValueError("not RESP at offset %d: %r" % (pos, data[pos:pos + 20]))


def messages(stream, protocol, is_request):
    """[(first offset, last offset, bytes)] of the messages of a stream."""
    out, pos, data = [], 0, stream.data
    while pos < len(data):
        if protocol == "HTTP1":
            m = http_message(data, pos, is_request)
            end = None if m is None else m[0]
        else:
            end = resp_value(data, pos)
        if end is None or end <= pos:
            raise ValueError("incomplete %s message at offset %d of %d" % (protocol, pos, len(data)))
        out.append((pos, end - 1, data[pos:end]))
        pos = end
    return out


def is_request(payload):
    return payload.startswith(METHODS) or payload.startswith(b"*")


def split_connections(records):
    """Streams keyed (tgid, local, remote, epoch, direction). Loopback clients reuse a 4-tuple soon after closing it
    (tcp_tw_reuse), so one (tgid, local, remote) can be several connections in turn: a new one begins where the
    tcp_seq of the request direction jumps, and every record from that time on belongs to it."""
    by_tuple = defaultdict(list)
    for i, r in enumerate(records):
        if r["l4"] == "tcp":
            by_tuple[(r["tgid"], r["local"], r["remote"])].append(i)
    streams = defaultdict(Stream)
    for key, idx in by_tuple.items():
        idx.sort(key=lambda i: records[i]["ts_ns"])
        # The first request, not the first record: a keep-alive connection opened before the capture started
        # shows an answer first.
        first = next((records[i] for i in idx if records[i]["_payload"] and is_request(records[i]["_payload"])),
                     None)
        request_dir = first["direction"] if first is not None else None
        bounds, seq = [], None
        for i in idx:
            r = records[i]
            if r["direction"] != request_dir or r.get("tcp_seq") is None:
                continue
            if seq is not None and r["tcp_seq"] != seq and is_request(r["_payload"]):
                bounds.append(r["ts_ns"])
            seq = (r["tcp_seq"] + r["size"]) % (1 << 32)
        for i in idx:
            r = records[i]
            if first is not None and r["ts_ns"] < first["ts_ns"]:
                continue  # the tail of an exchange that began before the capture: no request to pair it with
            streams[key + (bisect.bisect_right(bounds, r["ts_ns"]), r["direction"])].recs.append(i)
    return streams


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("capture")
    ap.add_argument("out_prefix")
    ap.add_argument("--expect-requests", type=int)
    a = ap.parse_args(argv)

    records = []
    with open_text(a.capture) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                r["_payload"] = base64.b64decode(r["payload_b64"])
                records.append(r)

    streams = split_connections(records)
    problems = defaultdict(list)
    for key, s in streams.items():
        s.build(records, problems, key)

    truth = []
    unanswered = 0
    conns = sorted({k[:4] for k in streams})
    for conn in conns:
        ing, eg = streams.get(conn + ("ingress",)), streams.get(conn + ("egress",))
        first_in = ing.data[:8] if ing else b""
        first_eg = eg.data[:8] if eg else b""
        if is_request(first_in):
            kind, req, resp = "server", ing, eg
        elif is_request(first_eg):
            kind, req, resp = "client", eg, ing
        else:
            problems["connection of unknown protocol"].append(conn)
            continue
        protocol = "Redis" if req.data.startswith(b"*") else "HTTP1"
        try:
            reqs = messages(req, protocol, True)
            resps = messages(resp, protocol, False) if resp else []
        except ValueError as e:
            problems["unparsable stream"].append((conn, str(e)))
            continue
        unanswered += max(0, len(reqs) - len(resps))
        if len(resps) > len(reqs):
            problems["more responses than requests"].append(conn)
        for (q0, _, qbytes), (_, p1, _) in zip(reqs, resps):
            m = UUID.search(qbytes)
            truth.append({"tgid": conn[0], "kind": kind, "local": conn[1], "remote": conn[2],
                          "start_ns": records[req.record_at(q0)]["ts_ns"],
                          "end_ns": records[resp.record_at(p1)]["ts_ns"],
                          "protocol": protocol, "trace": m.group().decode() if m else None})
    if unanswered:
        problems["requests without response"].append(unanswered)

    truth.sort(key=lambda t: (t["start_ns"], t["tgid"], t["local"]))
    per_trace = Counter(t["trace"] for t in truth if t["trace"])
    shapes = Counter(per_trace.values())
    if set(shapes) != {SPANS_PER_TRACE}:
        problems["traces without %d spans" % SPANS_PER_TRACE].append(dict(shapes))
    if a.expect_requests is not None and len(per_trace) != a.expect_requests:
        problems["traces != requests"].append((len(per_trace), a.expect_requests))

    with open_text(a.out_prefix + ".truth.jsonl.gz", "wt") as f:
        for t in truth:
            f.write(json.dumps(t, separators=(",", ":")) + "\n")

    # Blind: redact on the rebuilt streams (an id split across two records is found too), then write back.
    redacted = 0
    for s in streams.values():
        blind = UUID.sub(BLIND, s.data)
        if blind == s.data:
            continue
        redacted += len(UUID.findall(s.data))
        for n, i in enumerate(s.recs):
            start = s.starts[n]
            records[i]["_blind"] = blind[start:start + len(records[i]["_payload"])]
    for r in records:  # records in no stream (answers to requests sent before the capture) are redacted alone
        if "_blind" not in r and UUID.search(r["_payload"]):
            redacted += len(UUID.findall(r["_payload"]))
            r["_blind"] = UUID.sub(BLIND, r["_payload"])
    with open_text(a.out_prefix + ".capture.jsonl.gz", "wt") as vis, \
            open_text(a.out_prefix + "-blind.capture.jsonl.gz", "wt") as bl:
        for r in records:
            p, b = r.pop("_payload"), r.pop("_blind", None)
            vis.write(json.dumps(r, separators=(",", ":")) + "\n")
            if b is not None:
                assert len(b) == len(p)
                r["payload_b64"] = base64.b64encode(b).decode()
            bl.write(json.dumps(r, separators=(",", ":")) + "\n")

    kinds = Counter((t["protocol"], t["kind"]) for t in truth)
    print("%s: %d records, %d spans (%s), %d traces, %d ids redacted"
          % (a.out_prefix, len(records), len(truth),
             ", ".join("%s %s %d" % (p, k, n) for (p, k), n in sorted(kinds.items())), len(per_trace), redacted))
    for what, items in problems.items():
        print("  PROBLEM %s: %d, e.g. %s" % (what, len(items), items[:3]), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
