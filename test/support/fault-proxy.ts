// A fault-injecting HTTP proxy between the AWS SDK and moto (moto has no throttling or fault
// injection of its own): each request passes through unless `inject` answers it instead.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The JSON-protocol operation (X-Amz-Target) or the query-protocol Action= of the body. */
  operation: string;
  body: Buffer;
}

export interface InjectedAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface FaultProxy {
  endpoint: string;
  /** Requests answered by `inject`. */
  injected: number;
  /** Replace the rule at any time. */
  inject: (req: ProxiedRequest) => InjectedAnswer | undefined;
  close(): Promise<void>;
}

/** AWS's throttling answers, per protocol. */
export const THROTTLE = {
  json: (): InjectedAnswer => ({ status: 400, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }) }),
  ec2: (): InjectedAnswer => ({
    status: 503,
    contentType: 'text/xml',
    body: '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>injected</RequestID></Response>',
  }),
};

function operationOf(headers: IncomingHttpHeaders, body: Buffer): string {
  const target = String(headers['x-amz-target'] ?? '');
  if (target) return target.split('.').pop() ?? target;
  return /(?:^|&)Action=([A-Za-z0-9]+)/.exec(body.toString('utf8'))?.[1] ?? '';
}

export async function startFaultProxy(upstream: string, inject: FaultProxy['inject'] = () => undefined): Promise<FaultProxy> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const answer = proxy.inject({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, operation: operationOf(req.headers, body), body });
      if (answer) {
        proxy.injected += 1;
        res.writeHead(answer.status, { 'content-type': answer.contentType });
        res.end(answer.body);
        return;
      }
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected: 0,
    inject,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return proxy;
}
