// A small HTTP proxy for `npm run bench`: it forwards every request to moto after `latencyMs` (one
// round trip's worth of added delay, as a real region adds from a laptop) and can record the requests
// it forwarded (the AWS-phase floor replays them all at once).
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** When the proxy had the whole request, in ms since the recording began. */
  at: number;
}

export interface LatencyProxy {
  endpoint: string;
  latencyMs: number;
  recording?: Recorded[];
  recordingStart: number;
  calls: number;
  close(): Promise<void>;
}

/** Forwards every request to `upstream` after `latencyMs`. */
export async function startLatencyProxy(upstream: string): Promise<LatencyProxy> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      proxy.calls += 1;
      proxy.recording?.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, at: performance.now() - proxy.recordingStart });
      setTimeout(() => {
        const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        up.on('error', () => res.writeHead(502).end());
        up.end(body);
      }, proxy.latencyMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy: LatencyProxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    latencyMs: 0,
    recordingStart: 0,
    calls: 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return proxy;
}
