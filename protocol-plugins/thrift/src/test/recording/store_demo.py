#!/usr/bin/python3
"""Thrift server and client for the golden pcaps (Debian python3-thrift, code generated from store.thrift).

Usage: store_demo.py server PORT PROTOCOL TRANSPORT   (PROTOCOL binary|compact|json, TRANSPORT framed|buffered|header)
       store_demo.py client PORT PROTOCOL TRANSPORT [nonstrict]
TRANSPORT header is THeaderProtocol (binary or compact inside the header transport): the client sends info
headers (x-request-id, traceparent) and, after the usual calls, a put and a ping through the zlib transform.
"""
import sys
import threading

sys.path.insert(0, sys.argv[-1] if sys.argv[-1].endswith("gen-py") else "gen-py")
from store import Store  # noqa: E402
from store.ttypes import Item, Meta, NotFound  # noqa: E402
from thrift.Thrift import TApplicationException, TMessageType  # noqa: E402
from thrift.protocol import TBinaryProtocol, TCompactProtocol, THeaderProtocol, TJSONProtocol  # noqa: E402
from thrift.server import TServer  # noqa: E402
from thrift.transport import THeaderTransport, TSocket, TTransport  # noqa: E402


class Handler:
    def __init__(self):
        self.items = {}

    def ping(self):
        pass

    def add(self, a, b):
        return a + b

    def get(self, key):
        if key not in self.items:
            raise NotFound(key=key, code=404)
        return self.items[key]

    def put(self, item):
        self.items[item.key] = item
        return item

    def log(self, line):
        pass

    def crash(self, why):
        raise RuntimeError(why)


class LenientBinaryProtocol(TBinaryProtocol.TBinaryProtocol):
    """python3-thrift 0.17 returns the method name of an old non-strict message as bytes; the processor wants str."""

    def readMessageBegin(self):
        name, mtype, seqid = super().readMessageBegin()
        return (name.decode("utf-8") if isinstance(name, bytes) else name), mtype, seqid


class LenientBinaryProtocolFactory(TBinaryProtocol.TBinaryProtocolFactory):
    def getProtocol(self, trans):
        return LenientBinaryProtocol(trans, self.strictRead, self.strictWrite)


HEADER_PROTOCOLS = {
    "binary": THeaderTransport.THeaderSubprotocolID.BINARY,
    "compact": THeaderTransport.THeaderSubprotocolID.COMPACT,
}


def factories(protocol, transport, strict=True):
    if transport == "header":
        # THeaderProtocol wraps the socket itself; the plain transport factory hands the socket through.
        pf = THeaderProtocol.THeaderProtocolFactory(default_protocol=HEADER_PROTOCOLS[protocol])
        return pf, TTransport.TTransportFactoryBase()
    if protocol == "json":
        pf = TJSONProtocol.TJSONProtocolFactory()
    elif protocol == "binary":
        pf = LenientBinaryProtocolFactory(strictWrite=strict)
    else:
        pf = TCompactProtocol.TCompactProtocolFactory()
    tf = TTransport.TFramedTransportFactory() if transport == "framed" else TTransport.TBufferedTransportFactory()
    return pf, tf


def serve(port, protocol, transport):
    pf, tf = factories(protocol, transport)
    server = TServer.TSimpleServer(Store.Processor(Handler()), TSocket.TServerSocket("127.0.0.1", port), tf, pf)
    server.serve()


def call_unknown(prot, seqid):
    """A method the server does not know: it answers with TApplicationException UNKNOWN_METHOD."""
    prot.writeMessageBegin("nosuch", TMessageType.CALL, seqid)
    prot.writeStructBegin("nosuch_args")
    prot.writeFieldStop()
    prot.writeStructEnd()
    prot.writeMessageEnd()
    prot.trans.flush()
    name, mtype, rseqid = prot.readMessageBegin()
    x = TApplicationException()
    x.read(prot)
    prot.readMessageEnd()
    return x


def run_client(port, protocol, transport, strict):
    pf, tf = factories(protocol, transport, strict)
    sock = TSocket.TSocket("127.0.0.1", port)
    trans = tf.getTransport(sock)
    prot = pf.getProtocol(trans)
    client = Store.Client(prot)
    trans.open()
    header = transport == "header"
    if header:
        prot.set_header(b"x-request-id", b"req-0001")  # sent with the next message only
    client.ping()
    if header:
        prot.set_header(b"traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    assert client.add(40, 2) == 42
    item = Item(key="user:1", value=7, tags=["a", "b"], attrs={"x": 1, "y": 2},
                meta=Meta(flag=True, score=0.5, blob=b"\x00\x01\x02", shards={1, 2, 3}, level=3))
    client.put(item)
    assert client.get("user:1").value == 7
    try:
        client.get("missing")
    except NotFound:
        pass
    client.log("hello from the client")
    try:
        client.crash("boom")
    except TApplicationException:
        pass
    call_unknown(prot, 1000)
    client.ping()
    if header:
        prot.add_transform(THeaderTransport.THeaderTransformID.ZLIB)  # every later request is compressed
        client.put(item)
        client.ping()
    trans.close()


if __name__ == "__main__":
    mode, port, protocol, transport = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode == "server":
        serve(port, protocol, transport)
    else:
        run_client(port, protocol, transport, strict="nonstrict" not in sys.argv[5:])
