// Real local servers for the reachability probes' tests, all on 127.0.0.1 and free ports: plain
// HTTP, HTTPS with a self-signed or an expired certificate, a server that accepts connections and
// never answers, and a port where nothing listens.
//
// Certificates are made at test time with the system's openssl into a temporary directory:
//   valid (1 day):  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost
//                     -addext subjectAltName=DNS:localhost,IP:127.0.0.1
//   expired:        a CSR for the same key, self-signed by `openssl ca -selfsign` with
//                     -startdate 20200101000000Z -enddate 20200201000000Z
// `openssl ca` takes explicit dates on OpenSSL 1.1 and 3.x alike; `req -x509 -not_after` needs 3.4
// (this machine has 3.0) and `-days` refuses negative values. Nothing here is trusted by the client:
// the probes keep production semantics, so both certificates are rejected, and the tests assert that.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificates {
  key: string;
  /** Self-signed, CN=localhost, SAN DNS:localhost and IP:127.0.0.1, valid for one day from now. */
  cert: string;
  /** The same names and key, valid from 2020-01-01 to 2020-02-01. */
  expired: string;
  dir: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** Makes the test certificates in a fresh temporary directory (remove it with removeCertificates). */
export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'askedgi-certs-'));
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=localhost', '-addext', san], dir);
  openssl(['req', '-new', '-key', 'key.pem', '-subj', '/CN=localhost', '-addext', san, '-out', 'csr.pem'], dir);
  mkdirSync(join(dir, 'ca'));
  writeFileSync(join(dir, 'ca', 'index.txt'), '');
  writeFileSync(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = d', '[d]', 'database = ./ca/index.txt', 'new_certs_dir = ./ca', 'serial = ./ca/serial', 'default_md = sha256', 'policy = p', 'copy_extensions = copy', 'unique_subject = no', '[p]', 'commonName = supplied', ''].join('\n'),
  );
  openssl(
    ['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'csr.pem', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-notext', '-rand_serial', '-out', 'expired.pem'],
    dir,
  );
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { key: read('key.pem'), cert: read('cert.pem'), expired: read('expired.pem'), dir };
}

export function removeCertificates(c: Certificates | undefined): void {
  if (c) rmSync(c.dir, { recursive: true, force: true });
}

/** An answer of a route: a status, optionally a Location and a body. */
export interface Answer {
  status: number;
  location?: string;
  body?: string;
}

export type Routes = Record<string, Answer | ((req: IncomingMessage) => Answer)>;

/** A handler answering from a path → answer table; other paths get 404. Counts requests per path. */
export function routes(table: Routes, hits: Record<string, number> = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits[path] = (hits[path] ?? 0) + 1;
    const entry = table[path];
    const a: Answer = entry === undefined ? { status: 404, body: 'not found' } : typeof entry === 'function' ? entry(req) : entry;
    res.writeHead(a.status, { 'content-type': 'text/html; charset=utf-8', ...(a.location !== undefined ? { location: a.location } : {}) });
    res.end(a.body ?? '');
  };
}

export interface LocalServer {
  port: number;
  /** http(s)://<address>:<port> (127.0.0.1 unless told otherwise) */
  origin: string;
  /** Requests seen, in order: method and URL path, with the headers they carried. */
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

async function listen(server: HttpServer | NetServer, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function wrap(server: HttpServer, scheme: 'http' | 'https', requests: LocalServer['requests'], host = '127.0.0.1'): Promise<LocalServer> {
  const port = await listen(server, host);
  return {
    port,
    origin: `${scheme}://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function recording(handler: Handler, requests: LocalServer['requests']): Handler {
  return (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  };
}

/** A plain HTTP server on 127.0.0.1 (or another local IPv4 address). */
export function startHttp(handler: Handler, host = '127.0.0.1'): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  return wrap(createHttpServer(recording(handler, requests)), 'http', requests, host);
}

/** An HTTPS server on 127.0.0.1 with the given key and certificate. */
export function startHttps(handler: Handler, tls: { key: string; cert: string }): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  return wrap(createHttpsServer({ key: tls.key, cert: tls.cert }, recording(handler, requests)), 'https', requests);
}

/** Accepts TCP connections and never sends a byte (a hung backend). */
export async function startSilent(): Promise<LocalServer & { connections: () => number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createNetServer((s) => {
    accepted += 1;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests: [],
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released): connections are refused. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
