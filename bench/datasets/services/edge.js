// The event-loop tier of the bench/datasets workload: a Node.js http server (behind nginx, which keeps a pool of
// keep-alive connections to it) that talks to redis over ONE pipelined connection with a FIFO reply queue, the way
// node redis clients do. Node core only.
//
//   /c/stock  redis GET stock:<id>
//   /c/chain  redis SET chain:<id> <v>, then GET chain:<id>   (two calls in order)
//
//   node edge.js LISTEN_IP PORT REDIS_IP REDIS_PORT
'use strict';
const http = require('http');
const net = require('net');
const [ip, port, redisIp, redisPort] = process.argv.slice(2);

const pending = [];
let buf = Buffer.alloc(0);
const redis = net.createConnection({ host: redisIp, port: Number(redisPort) });
redis.setNoDelay(true);
redis.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const r = parseReply(buf);
    if (!r) break;
    buf = buf.subarray(r.used);
    pending.shift()(r.value);
  }
});

/** One RESP reply at the start of b, or null when incomplete: {value, used}. */
function parseReply(b) {
  const eol = b.indexOf('\r\n');
  if (eol < 0) return null;
  const head = b.toString('latin1', 0, eol);
  if (head[0] !== '$') return { value: head.slice(1), used: eol + 2 };
  const n = Number(head.slice(1));
  if (n < 0) return { value: '', used: eol + 2 };
  if (b.length < eol + 2 + n + 2) return null;
  return { value: b.toString('utf8', eol + 2, eol + 2 + n), used: eol + 2 + n + 2 };
}

function command(...args) {
  let s = '*' + args.length + '\r\n';
  for (const a of args) s += '$' + Buffer.byteLength(a) + '\r\n' + a + '\r\n';
  return new Promise((resolve) => {
    pending.push(resolve);
    redis.write(s);
  });
}

const server = http.createServer(async (req, res) => {
  const id = req.headers['x-request-id'] || '-';
  let body;
  if (req.url.startsWith('/c/chain')) {
    await command('SET', 'chain:' + id, 'v');
    const v = await command('GET', 'chain:' + id);
    body = JSON.stringify({ id, svc: 'edge', route: 'chain', v });
  } else {
    const v = await command('GET', 'stock:' + id);
    await new Promise((r) => setTimeout(r, Math.random() * 2));
    body = JSON.stringify({ id, svc: 'edge', route: 'stock', v: v.length });
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
    'X-Request-Id': id });
  res.end(body);
});
server.keepAliveTimeout = 60000;
redis.on('connect', () => server.listen(Number(port), ip, () => console.log('edge ready')));
