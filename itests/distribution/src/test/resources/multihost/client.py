"""Sends N requests to the front service, one after the other, and fails unless every answer is 200."""
import http.client
import sys

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(count):
    c = http.client.HTTPConnection(host, port, timeout=5)
    c.request("GET", "/order-%d" % i)
    r = c.getresponse()
    r.read()
    c.close()
    if r.status != 200:
        sys.exit("request %d: status %d" % (i, r.status))
