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
  /** More response headers, e.g. x-amz-bucket-region or x-amzn-ErrorType, as AWS sends them. */
  headers?: Record<string, string>;
}

/** Accept the request and never answer it (a black-holed endpoint). */
export const HANG = 'hang' as const;

export interface FaultProxy {
  endpoint: string;
  /** Requests answered by `inject`. */
  injected: number;
  /** Replace the rule at any time. */
  inject: (req: ProxiedRequest) => InjectedAnswer | typeof HANG | undefined;
  /** Every request seen, in order (operation, or method and path for REST services). */
  seen: string[];
  close(): Promise<void>;
}

/** AWS error answers per protocol: JSON (ECS, Secrets Manager, …), query XML (STS, IAM), EC2 XML, REST-JSON (EFS), S3 XML. */
export const AWS_ERROR = {
  json: (status: number, code: string, message: string): InjectedAnswer => ({ status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, message }) }),
  query: (status: number, code: string, message: string): InjectedAnswer => ({
    status,
    contentType: 'text/xml',
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>injected</RequestId></ErrorResponse>`,
  }),
  ec2: (status: number, code: string, message: string): InjectedAnswer => ({
    status,
    contentType: 'text/xml',
    body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>injected</RequestID></Response>`,
  }),
  restJson: (status: number, code: string, message: string): InjectedAnswer => ({
    status,
    contentType: 'application/json',
    headers: { 'x-amzn-errortype': code },
    body: JSON.stringify({ ErrorCode: code, Message: message }),
  }),
  s3: (status: number, code: string, message: string, headers: Record<string, string> = {}, extra = ''): InjectedAnswer => ({
    status,
    contentType: 'application/xml',
    headers,
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>injected</RequestId><HostId>injected</HostId></Error>`,
  }),
};

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
      const operation = operationOf(req.headers, body);
      proxy.seen.push(operation || `${req.method} ${req.url}`);
      const answer = proxy.inject({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, operation, body });
      if (answer === HANG) {
        proxy.injected += 1;
        return;
      }
      if (answer) {
        proxy.injected += 1;
        res.writeHead(answer.status, { 'content-type': answer.contentType, ...(answer.headers ?? {}) });
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
    seen: [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return proxy;
}
