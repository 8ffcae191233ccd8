// HTTP reachability probes of step 10 (undici): DNS lookup timing, the TLS certificate a server
// presents, GET requests with bounded timeouts and retries, and redirect chains followed by hand so
// every hop is recorded and a hop to another host is reported, never followed.
//
// Every request attempt gets its own undici Agent, destroyed when the attempt ends: nothing is pooled
// or shared between probes or attempts, and no probe ever sends credentials or cookies. Certificates are verified against
// the system CAs (plus NODE_EXTRA_CA_CERTS): an untrusted certificate is a finding, never bypassed.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { Agent } from 'undici';
import { VERSION } from '../version.js';

/** cfg.http: every probe is bounded by these. */
export interface ProbeSettings {
  /** Per attempt: DNS, connect, TLS handshake and response headers each within this. */
  timeoutMs: number;
  /** Extra attempts after a failed one: connection errors and timeouts, and 5xx answers. */
  retries: number;
  /** Redirects followed (same host only) before giving up; default 10. */
  maxRedirects?: number;
}

/** Why a probe got no answer. */
export interface ProbeError {
  /** ECONNREFUSED, ENOTFOUND, TIMEOUT, DEPTH_ZERO_SELF_SIGNED_CERT, UND_ERR_SOCKET, … */
  code: string;
  /** For a message: "connection refused (ECONNREFUSED)", "timed out after 300 ms", … */
  message: string;
  timedOut: boolean;
  /** The TLS certificate was rejected (not transient: never retried). */
  certificate: boolean;
}

const USER_AGENT = `askedgi-doctor/${VERSION} (reachability probe)`;
const DAY_MS = 86_400_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Certificate verification codes (OpenSSL's, as Node reports them) and what they mean. */
const CERTIFICATE_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer not trusted (incomplete chain or private CA)',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not trusted (incomplete chain or private CA)',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not name this host',
};

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'name not found in DNS',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

const TIMEOUT_CODES = new Set(['TIMEOUT', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR']);

export const isCertificateError = (code: string | undefined): boolean => code !== undefined && code in CERTIFICATE_ERRORS;

/** What a TLS verification code means, e.g. "self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)". */
export function describeCertificateError(code: string): string {
  const meaning = CERTIFICATE_ERRORS[code];
  return meaning ? `${meaning} (${code})` : code;
}

/** A probe error from anything thrown by node:net, node:tls, node:dns or undici. */
export function toProbeError(err: unknown, timeoutMs: number): ProbeError {
  const e = err as { name?: string; code?: unknown; message?: string; errors?: { code?: unknown }[]; cause?: { code?: unknown } };
  const raw = typeof e?.code === 'string' ? e.code : typeof e?.errors?.[0]?.code === 'string' ? e.errors[0].code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const timedOut = e?.name === 'TimeoutError' || (raw !== undefined && TIMEOUT_CODES.has(raw));
  if (timedOut) return { code: raw && raw !== 'ABORT_ERR' ? raw : 'TIMEOUT', message: `timed out after ${timeoutMs} ms`, timedOut: true, certificate: false };
  const code = raw ?? 'ERROR';
  if (isCertificateError(code)) return { code, message: `TLS certificate rejected: ${describeCertificateError(code)}`, timedOut: false, certificate: true };
  const known = NETWORK_ERRORS[code];
  const message = known ? `${known} (${code})` : `${(e?.message ?? String(err)).split('\n')[0]}${raw && !(e?.message ?? '').includes(raw) ? ` (${raw})` : ''}`;
  return { code, message, timedOut: false, certificate: false };
}

/** Rejects with a TIMEOUT error when `p` does not settle within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: 'TIMEOUT' })), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** undici, loaded on the first probe (not by `list` or `--help`). */
const undici = () => import('undici');

const elapsed = (t0: number) => Math.round(performance.now() - t0);
/**
 * A pause that keeps the process alive: something awaits it. (An unref'd timer here let Node leave
 * on an unsettled await, exit 13 without a report, when every attempt failed fast.)
 */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Short, bounded pause between attempts: 200 ms, 400 ms, … at most 1 s. */
const backoff = (attempt: number) => pause(Math.min(200 * attempt, 1000));

/** A URL's host name without IPv6 brackets. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/** host:port for messages and URLs (IPv6 in brackets). */
export const hostPort = (host: string, port: number): string => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

/** localhost, 127.0.0.0/8 or ::1: traffic that never leaves the machine. */
export function isLoopback(host: string): boolean {
  const h = bareHost(host).toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** The port a URL connects to (its explicit port or the scheme's default). */
export const urlPort = (u: URL): number => (u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);

// ── DNS ────────────────────────────────────────────────────────────────────────────────────────

export interface DnsResult {
  host: string;
  /** The host is an IP address: nothing was looked up. */
  literal: boolean;
  addresses: string[];
  ms: number;
  error?: ProbeError;
}

/** getaddrinfo (what connections use, /etc/hosts included), bounded by the timeout. */
export async function resolveHost(host: string, timeoutMs: number): Promise<DnsResult> {
  const h = bareHost(host);
  if (isIP(h)) return { host: h, literal: true, addresses: [h], ms: 0 };
  const t0 = performance.now();
  try {
    const found = await within(lookup(h, { all: true, verbatim: true }), timeoutMs);
    return { host: h, literal: false, addresses: [...new Set(found.map((a) => a.address))], ms: elapsed(t0) };
  } catch (err) {
    return { host: h, literal: false, addresses: [], ms: elapsed(t0), error: toProbeError(err, timeoutMs) };
  }
}

// ── TLS ────────────────────────────────────────────────────────────────────────────────────────

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  /** Whole days until validTo; negative once expired. */
  daysToExpiry: number;
  subjectAltName?: string;
  /** Issuer equals subject. */
  selfSigned: boolean;
  fingerprint256: string;
}

export interface TlsResult {
  host: string;
  port: number;
  ms: number;
  protocol?: string;
  cert?: CertificateInfo;
  /** The chain verifies against the trusted CAs and the certificate names the host. */
  trusted: boolean;
  /** Why the chain is not trusted (OpenSSL code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT). */
  authorizationError?: string;
  /** tls.checkServerIdentity's verdict on the host name, checked even when the chain is not trusted. */
  hostnameError?: string;
  /** No handshake happened (refused, timeout, not TLS). */
  error?: ProbeError;
}

const dn = (name: PeerCertificate['subject'] | undefined): string => {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
};

/**
 * Connects with TLS (SNI = the host name) and reads the certificate the server presents, without
 * sending anything. Verification runs as for any client; its verdict is reported, not enforced, so
 * an untrusted or expired certificate can be described.
 */
export function inspectTls(host: string, port: number, timeoutMs: number, now: Date = new Date()): Promise<TlsResult> {
  const h = bareHost(host);
  const t0 = performance.now();
  return new Promise<TlsResult>((resolve) => {
    let done = false;
    const finish = (r: Omit<TlsResult, 'host' | 'port' | 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ host: h, port, ms: elapsed(t0), ...r });
    };
    const socket = tlsConnect({
      host: h,
      port,
      ...(isIP(h) ? {} : { servername: h }),
      // Report, do not enforce: the verdict is read from socket.authorized below.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => finish({ trusted: false, error: toProbeError(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }), timeoutMs) }), timeoutMs);
    socket.once('error', (err) => finish({ trusted: false, error: toProbeError(err, timeoutMs) }));
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      if (!peer || Object.keys(peer).length === 0) {
        finish({ trusted: false, protocol: socket.getProtocol() ?? undefined, error: { code: 'NO_CERTIFICATE', message: 'the server presented no certificate', timedOut: false, certificate: true } });
        return;
      }
      const validTo = new Date(peer.valid_to);
      const cert: CertificateInfo = {
        subject: dn(peer.subject),
        issuer: dn(peer.issuer),
        validFrom: new Date(peer.valid_from),
        validTo,
        daysToExpiry: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
        subjectAltName: peer.subjectaltname || undefined,
        selfSigned: dn(peer.subject) === dn(peer.issuer),
        fingerprint256: peer.fingerprint256,
      };
      const identity = checkServerIdentity(h, peer);
      const authorizationError = socket.authorized ? undefined : String(socket.authorizationError ?? 'CERT_UNTRUSTED');
      finish({
        protocol: socket.getProtocol() ?? undefined,
        cert,
        trusted: socket.authorized && identity === undefined,
        ...(authorizationError ? { authorizationError } : {}),
        ...(identity ? { hostnameError: identity.message } : {}),
      });
    });
  });
}

export interface CertificateVerdict {
  status: 'pass' | 'warn' | 'fail';
  /** Problems, worst first; empty when the certificate is fine. */
  problems: string[];
}

/**
 * The verdict on a presented certificate: expired, not yet valid, untrusted or naming another host
 * fail; expiring within `warnDays` warns.
 */
export function judgeCertificate(tls: TlsResult, warnDays: number, now: Date = new Date()): CertificateVerdict {
  const cert = tls.cert;
  if (!cert) return { status: 'fail', problems: [tls.error?.message ?? 'no certificate presented'] };
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const chain = tls.authorizationError;
  const code = (c: string) => (chain === c ? ` (${c})` : '');
  const expired = cert.validTo.getTime() <= now.getTime();
  const notYet = !expired && cert.validFrom.getTime() > now.getTime();
  const failures: string[] = [];
  if (expired) failures.push(`expired on ${day(cert.validTo)}, ${Math.max(1, Math.ceil((now.getTime() - cert.validTo.getTime()) / DAY_MS))} day(s) ago${code('CERT_HAS_EXPIRED')}`);
  if (notYet) failures.push(`not valid before ${day(cert.validFrom)}${code('CERT_NOT_YET_VALID')}`);
  if (tls.hostnameError) failures.push(`does not name ${tls.host}: ${tls.hostnameError}${code('ERR_TLS_CERT_ALTNAME_INVALID')}`);
  // Expiry and the host name are said in words above; any other verdict of the chain is added.
  const explained = (chain === 'CERT_HAS_EXPIRED' && expired) || (chain === 'CERT_NOT_YET_VALID' && notYet) || (chain === 'ERR_TLS_CERT_ALTNAME_INVALID' && tls.hostnameError !== undefined);
  if (chain && !explained) failures.push(`not trusted: ${describeCertificateError(chain)}`);
  if (failures.length > 0) return { status: 'fail', problems: failures };
  if (cert.daysToExpiry < warnDays) return { status: 'warn', problems: [`expires on ${day(cert.validTo)}, in ${cert.daysToExpiry} day(s) (warning below ${warnDays} days)`] };
  return { status: 'pass', problems: [] };
}

// ── HTTP ───────────────────────────────────────────────────────────────────────────────────────

export interface HttpAnswer {
  url: string;
  status: number;
  /** The Location header of a redirect, as sent. */
  location?: string;
  /** Time of the attempt that answered, until the response headers. */
  ms: number;
  attempts: number;
}

export interface HttpFailure {
  url: string;
  error: ProbeError;
  /** Time of the last attempt. */
  ms: number;
  attempts: number;
}

export type HttpResult = { ok: true; answer: HttpAnswer } | { ok: false; failure: HttpFailure };

export interface GetOptions {
  /** Retry 5xx answers (default true); the last 5xx is returned as the answer. */
  retryServerErrors?: boolean;
}

/** A dedicated Agent: one connection, every timeout the probe's, destroyed after the attempt. */
async function probeAgent(timeoutMs: number): Promise<Agent> {
  const { Agent } = await undici();
  return new Agent({
    connections: 1,
    pipelining: 1,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 1000,
  });
}

/**
 * One GET with retries; no redirect is followed (undici follows none without an interceptor). Each
 * attempt has its own Agent, destroyed when the attempt ends: an aborted attempt leaves nothing
 * behind (undici would otherwise reconnect in the background) and attempts are independent.
 */
export async function httpGet(url: string, settings: ProbeSettings, options: GetOptions = {}): Promise<HttpResult> {
  const attempts = settings.retries + 1;
  let last: HttpResult | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await backoff(attempt - 1);
    const agent = await probeAgent(settings.timeoutMs);
    // A referenced timer, not AbortSignal.timeout(): that one is unref'd, and an awaited path must
    // keep the process alive until it settles.
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(Object.assign(new Error(`timed out after ${settings.timeoutMs} ms`), { name: 'TimeoutError', code: 'TIMEOUT' })), settings.timeoutMs);
    const t0 = performance.now();
    try {
      const { request } = await undici();
      const res = await request(url, {
        dispatcher: agent,
        method: 'GET',
        // No cookies, no Authorization: a probe never carries credentials to any host.
        headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/json;q=0.9,*/*;q=0.5' },
        signal: abort.signal,
      });
      const ms = elapsed(t0);
      await res.body.dump({ limit: 256 * 1024 }).catch(() => undefined);
      const loc = res.headers.location;
      const location = Array.isArray(loc) ? loc[0] : loc;
      last = { ok: true, answer: { url, status: res.statusCode, ...(location !== undefined ? { location } : {}), ms, attempts: attempt } };
      if (res.statusCode >= 500 && options.retryServerErrors !== false) continue;
      return last;
    } catch (err) {
      const error = toProbeError(err, settings.timeoutMs);
      last = { ok: false, failure: { url, error, ms: elapsed(t0), attempts: attempt } };
      if (error.certificate) return last;
    } finally {
      clearTimeout(deadline);
      await agent.destroy().catch(() => undefined);
    }
  }
  return last!;
}

export interface RedirectChain {
  start: string;
  /** Every answer in order; each but the last is a redirect that was followed. */
  hops: HttpAnswer[];
  /**
   * answered: the last hop is the final answer. cross-host: the last hop redirects to another host
   * (not followed). failed: a request got no answer (`failure`). too-many-redirects / bad-location:
   * the last hop's redirect was not followed.
   */
  outcome: 'answered' | 'cross-host' | 'failed' | 'too-many-redirects' | 'bad-location';
  /** The redirect target on another host (outcome cross-host). */
  crossHost?: URL;
  failure?: HttpFailure;
  /** Every URL requested, in order (all on the start URL's host name). */
  visited: string[];
  totalMs: number;
}

/**
 * GET `start` and follow redirects by hand, on the same host name only (scheme and port may change,
 * as http → https does). A redirect to another host name is recorded and not followed.
 */
export async function followRedirects(start: string, settings: ProbeSettings, options: GetOptions = {}): Promise<RedirectChain> {
  const max = settings.maxRedirects ?? 10;
  const origin = new URL(start);
  const hops: HttpAnswer[] = [];
  const visited: string[] = [];
  const t0 = performance.now();
  const done = (rest: Omit<RedirectChain, 'start' | 'hops' | 'visited' | 'totalMs'>): RedirectChain => ({ start, hops, visited, totalMs: elapsed(t0), ...rest });
  let url = start;
  for (;;) {
    visited.push(url);
    const r = await httpGet(url, settings, options);
    if (!r.ok) return done({ outcome: 'failed', failure: r.failure });
    hops.push(r.answer);
    const { status, location } = r.answer;
    if (!REDIRECT_STATUSES.has(status) || location === undefined) return done({ outcome: 'answered' });
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return done({ outcome: 'bad-location' });
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return done({ outcome: 'bad-location' });
    // Another host name is another party (an identity provider, a CDN): recorded, never followed.
    if (next.hostname.toLowerCase() !== origin.hostname.toLowerCase()) return done({ outcome: 'cross-host', crossHost: next });
    if (hops.length > max) return done({ outcome: 'too-many-redirects' });
    next.hash = '';
    url = next.href;
  }
}

// ── TCP ────────────────────────────────────────────────────────────────────────────────────────

export type TcpResult = { ok: true; ms: number; attempts: number } | { ok: false; ms: number; attempts: number; error: ProbeError };

/** A plain TCP connect (then closed), with the probe's timeout and retries. */
export async function tcpConnect(host: string, port: number, settings: ProbeSettings): Promise<TcpResult> {
  const h = bareHost(host);
  const attempts = settings.retries + 1;
  let last: TcpResult | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await backoff(attempt - 1);
    const t0 = performance.now();
    last = await new Promise<TcpResult>((resolve) => {
      const socket = netConnect({ host: h, port });
      const finish = (r: TcpResult) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(r);
      };
      const timer = setTimeout(
        () => finish({ ok: false, ms: elapsed(t0), attempts: attempt, error: toProbeError(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }), settings.timeoutMs) }),
        settings.timeoutMs,
      );
      socket.once('connect', () => finish({ ok: true, ms: elapsed(t0), attempts: attempt }));
      socket.once('error', (err) => finish({ ok: false, ms: elapsed(t0), attempts: attempt, error: toProbeError(err, settings.timeoutMs) }));
    });
    if (last.ok) return last;
  }
  return last!;
}
