import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import browserSmoke from '../../../src/checks/browser-smoke.js';
import check from '../../../src/checks/ovaledge-reachable.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory } from '../../../src/inventory/fixture.js';
import type { Finding } from '../../../src/model.js';
import { judgeCertificate, type TlsResult } from '../../../src/probes/http.js';
import { closedPort, makeCertificates, removeCertificates, routes, startHttp, startHttps, startSilent, type Certificates, type LocalServer } from '../../support/http-servers.js';
import { config, healthy } from '../../support/fixture-deployment.js';

// Real servers on 127.0.0.1 (test/support/http-servers.ts); nothing is mocked below the check.
const LOGIN = '<html><body><form><label for="u">User ID</label><input id="u"></form></body></html>';
const ctx = { outDir: 'reports', env: {} };

let certs: Certificates | undefined;
const servers: LocalServer[] = [];
const track = <T extends LocalServer>(s: T): T => {
  servers.push(s);
  return s;
};

beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => removeCertificates(certs));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const cfgFor = (baseUrl: string, http: ConfigInput['http'] = {}) =>
  config({ smoke: { baseUrl, username: 'env:SMOKE_USER', password: 'env:SMOKE_PASSWORD' }, http: { timeoutMs: 2000, retries: 0, ...http } });

async function probe(baseUrl: string, http: ConfigInput['http'] = {}): Promise<Finding[]> {
  return check.run(new FixtureInventory(healthy()), cfgFor(baseUrl, http), ctx);
}

const statuses = (f: Finding[]) => f.map((x) => x.status);
const worst = (f: Finding[]) => (f.some((x) => x.status === 'fail') ? 'fail' : f.some((x) => x.status === 'warn') ? 'warn' : 'pass');

/** The OvalEdge context path as the sandbox app and a real tenant serve it. */
const ovaledge = (extra: Parameters<typeof routes>[0] = {}) =>
  routes({
    '/ovaledge': { status: 301, location: '/ovaledge/' },
    '/ovaledge/': { status: 302, location: '/ovaledge/login' },
    '/ovaledge/login': { status: 200, body: LOGIN },
    ...extra,
  });

describe('ovaledge-reachable', () => {
  it('skips with the reason when no base URL is configured', async () => {
    const r = await check.run(new FixtureInventory(healthy()), config(), ctx);
    expect(r).toEqual([{ status: 'skip', code: 'not-configured', message: 'No OvalEdge base URL configured (smoke.baseUrl).' }]);
  });

  it('passes on plain HTTP over loopback, recording the redirect chain /ovaledge → /ovaledge/ → /ovaledge/login', async () => {
    const s = track(await startHttp(ovaledge()));
    const f = await probe(`${s.origin}/ovaledge`);
    expect(statuses(f)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(f[0]!.message).toBe('OvalEdge host 127.0.0.1 is an IP address; no DNS lookup needed.');
    expect(f[1]!.message).toBe(`The tenant URL ${s.origin}/ovaledge is plain HTTP on a loopback address; its traffic does not leave this host.`);
    expect(f[2]!.message).toBe(`GET ${s.origin}/ovaledge redirects: 301 → /ovaledge/, 302 → /ovaledge/login.`);
    expect(f[3]!.message).toMatch(new RegExp(`^OvalEdge login page ${s.origin}/ovaledge/login answered HTTP 200 in \\d+ ms \\(3 requests, \\d+ ms in all\\)\\.$`));
    expect(s.requests.map((q) => q.url)).toEqual(['/ovaledge', '/ovaledge/', '/ovaledge/login']);
    // A probe never carries credentials or cookies.
    for (const q of s.requests) {
      expect(q.headers.cookie).toBeUndefined();
      expect(q.headers.authorization).toBeUndefined();
    }
  });

  it('resolves a host name in DNS and reports the addresses', async () => {
    const s = track(await startHttp(ovaledge()));
    const f = await probe(`http://localhost:${s.port}/ovaledge`);
    expect(f[0]!.status).toBe('pass');
    expect(f[0]!.message).toMatch(/^OvalEdge host localhost resolves to .*127\.0\.0\.1.* in \d+ ms\.$/);
  });

  const lanIp = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!lanIp)('warns that a tenant URL off this host is not HTTPS', async () => {
    const s = track(await startHttp(ovaledge(), lanIp));
    const url = `http://${lanIp}:${s.port}/ovaledge`;
    const f = await probe(url);
    expect(f[1]).toEqual({ status: 'warn', code: 'not-https', message: `The tenant URL ${url} is not HTTPS: logins and AskEdgi data cross the network unencrypted.`, resource: url, expected: 'https://', found: 'http://' });
    expect(worst(f)).toBe('warn');
  });

  it('fails on a self-signed certificate, naming the TLS error, and sends no request over it', async () => {
    const s = track(await startHttps(ovaledge(), { key: certs!.key, cert: certs!.cert }));
    const f = await probe(`${s.origin}/ovaledge`);
    expect(statuses(f)).toEqual(['pass', 'fail', 'skip']);
    expect(f[1]!.message).toContain(`TLS certificate of 127.0.0.1:${s.port} is not valid: not trusted: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`);
    expect(f[1]!.message).toContain('subject CN=localhost, issuer CN=localhost');
    expect(f[1]!.found).toBe('subjectAltName DNS:localhost, IP Address:127.0.0.1');
    expect(f[2]!.message).toBe(`Login page not requested: the TLS certificate of 127.0.0.1:${s.port} is not accepted (see the certificate finding).`);
    expect(s.requests).toEqual([]);
  });

  it('fails on an expired certificate with its expiry date', async () => {
    const s = track(await startHttps(ovaledge(), { key: certs!.key, cert: certs!.expired }));
    const f = await probe(`https://localhost:${s.port}/ovaledge`);
    expect(f[1]!.status).toBe('fail');
    expect(f[1]!.message).toMatch(/is not valid: expired on 2020-02-01, \d+ day\(s\) ago \(CERT_HAS_EXPIRED\)/);
    expect(f[1]!.message).toContain('valid until 2020-02-01');
    expect(s.requests).toEqual([]);
  });

  it('inspects the certificate where plain HTTP redirects to HTTPS on the same host', async () => {
    const secure = track(await startHttps(ovaledge(), { key: certs!.key, cert: certs!.cert }));
    const plain = track(await startHttp(routes({ '/ovaledge': { status: 301, location: `${secure.origin}/ovaledge/login` } })));
    const f = await probe(`${plain.origin}/ovaledge`);
    expect(statuses(f)).toEqual(['pass', 'fail', 'pass', 'skip']);
    expect(f[1]!.message).toContain(`TLS certificate of 127.0.0.1:${secure.port} is not valid: not trusted: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`);
    expect(f[2]!.message).toBe(`GET ${plain.origin}/ovaledge redirects: 301 → ${secure.origin}/ovaledge/login.`);
    expect(secure.requests).toEqual([]);
  });

  it('reports a redirect to another host (single sign-on) as skip naming that host, and never follows it', async () => {
    const s = track(
      await startHttp(
        ovaledge({
          '/ovaledge/login': (req) => ({ status: 302, location: `http://localhost:${(req.socket.localPort ?? 0).toString()}/sso/authorize?client_id=ovaledge` }),
          '/sso/authorize': { status: 200, body: 'identity provider' },
        }),
      ),
    );
    const f = await probe(`${s.origin}/ovaledge`);
    expect(statuses(f)).toEqual(['pass', 'pass', 'pass', 'skip']);
    expect(f[2]!.message).toBe(`GET ${s.origin}/ovaledge redirects: 301 → /ovaledge/, 302 → /ovaledge/login, 302 → http://localhost:${s.port}/sso/authorize?client_id=ovaledge.`);
    expect(f[3]!.message).toContain(`redirects to another host, localhost:${s.port} (single sign-on at http://localhost:${s.port}); not followed`);
    expect(f[3]!.found).toBe(`localhost:${s.port}`);
    expect(s.requests.map((q) => q.url)).not.toContain('/sso/authorize?client_id=ovaledge');
    // DNS, TLS and the chain are healthy: the check as a whole passes (skip ranks below pass).
    const [result] = await runChecks([check], new FixtureInventory(healthy()), cfgFor(`${s.origin}/ovaledge`), ctx);
    expect(result!.status).toBe('pass');
  });

  it('honours the timeout against a server that never answers', async () => {
    const s = track(await startSilent());
    const t0 = performance.now();
    const f = await probe(`${s.origin}/ovaledge`, { timeoutMs: 300, retries: 0 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(statuses(f)).toEqual(['pass', 'fail']);
    expect(f[1]!.message).toMatch(new RegExp(`^GET ${s.origin}/ovaledge got no answer: timed out after 300 ms \\(1 attempt, \\d+ ms in all\\)\\.$`));
    expect(f[1]!.found).toBe('timeout');
  });

  it('retries a timeout as often as configured, and no more', async () => {
    const s = track(await startSilent());
    const f = await probe(`${s.origin}/ovaledge`, { timeoutMs: 300, retries: 2 });
    expect(f[1]!.message).toContain('timed out after 300 ms (3 attempts');
    expect(s.connections()).toBe(3);
  });

  it('fails naming the refused connection', async () => {
    const port = await closedPort();
    const f = await probe(`http://127.0.0.1:${port}/ovaledge`, { retries: 1 });
    expect(statuses(f)).toEqual(['pass', 'fail']);
    expect(f[1]!.message).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/ovaledge got no answer: connection refused \\(ECONNREFUSED\\) \\(2 attempts, `));
    expect(f[1]!.found).toBe('ECONNREFUSED');
  });

  it('fails on 503 after retrying it (no healthy targets), and does not retry a 4xx', async () => {
    const hits: Record<string, number> = {};
    const unavailable = track(await startHttp(routes({ '/ovaledge': { status: 503 } }, hits)));
    const f = await probe(`${unavailable.origin}/ovaledge`, { retries: 1 });
    expect(f.at(-1)!.status).toBe('fail');
    expect(f.at(-1)!.message).toMatch(new RegExp(`^GET ${unavailable.origin}/ovaledge answered HTTP 503 — the load balancer has no healthy OvalEdge targets \\(2 attempts, \\d+ ms in all\\)\\.$`));
    expect(hits['/ovaledge']).toBe(2);

    const notFound: Record<string, number> = {};
    const gone = track(await startHttp(routes({}, notFound)));
    const g = await probe(`${gone.origin}/ovaledge`, { retries: 2 });
    expect(g.at(-1)).toMatchObject({ status: 'fail', expected: 'HTTP 200', found: 'HTTP 404' });
    expect(notFound['/ovaledge']).toBe(1);
  });

  it('warns when the chain ends at a page that is not the login page', async () => {
    const s = track(await startHttp(routes({ '/ovaledge': { status: 200, body: 'welcome' } })));
    const f = await probe(`${s.origin}/ovaledge`);
    expect(f.at(-1)).toEqual({
      status: 'warn',
      code: 'not-login-page',
      message: `GET ${s.origin}/ovaledge ends at ${s.origin}/ovaledge (HTTP 200), not at the login page ${s.origin}/ovaledge/login.`,
      resource: `${s.origin}/ovaledge`,
      expected: `${s.origin}/ovaledge/login`,
      found: `${s.origin}/ovaledge`,
    });
  });

  it('fails on a redirect loop', async () => {
    const s = track(await startHttp(routes({ '/ovaledge': { status: 302, location: '/ovaledge' } })));
    const f = await probe(`${s.origin}/ovaledge`);
    expect(f.find((x) => x.message.includes('without reaching a page'))?.status).toBe('fail');
  });

  it('fails when the host name does not resolve, and reports nothing after it', async () => {
    const f = await probe('https://tenant.askedgi-doctor.invalid/ovaledge');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ status: 'fail', resource: 'tenant.askedgi-doctor.invalid', found: 'ENOTFOUND' });
    expect(f[0]!.message).toMatch(/^OvalEdge host tenant\.askedgi-doctor\.invalid does not resolve in DNS: name not found in DNS \(ENOTFOUND\)/);
  });

  it('makes the browser smoke test skip "because ovaledge-reachable failed"', async () => {
    const port = await closedPort();
    const withLogin = { ...ctx, env: { SMOKE_USER: 'admin', SMOKE_PASSWORD: 'pw' } };
    const results = await runChecks([check, browserSmoke], new FixtureInventory(healthy()), cfgFor(`http://127.0.0.1:${port}/ovaledge`), withLogin);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['ovaledge-reachable', 'fail'],
      ['browser-smoke', 'skip'],
    ]);
    expect(results[1]!.findings[0]!.message).toBe('Not run because ovaledge-reachable failed.');
  });
});

describe('judgeCertificate', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const tls = (validTo: string, extra: Partial<TlsResult> = {}): TlsResult => ({
    host: 'tenant.example.com',
    port: 443,
    ms: 5,
    trusted: true,
    cert: {
      subject: 'CN=tenant.example.com',
      issuer: 'C=US, O=Amazon, CN=Amazon RSA 2048 M01',
      validFrom: new Date('2026-01-01T00:00:00Z'),
      validTo: new Date(validTo),
      daysToExpiry: Math.floor((new Date(validTo).getTime() - now.getTime()) / 86_400_000),
      selfSigned: false,
      fingerprint256: 'AA:BB',
    },
    ...extra,
  });

  it('passes a trusted certificate far from expiry', () => {
    expect(judgeCertificate(tls('2026-12-01T00:00:00Z'), 21, now)).toEqual({ status: 'pass', problems: [] });
  });

  it('warns below the configured number of days', () => {
    expect(judgeCertificate(tls('2026-06-11T00:00:00Z'), 21, now)).toEqual({ status: 'warn', problems: ['expires on 2026-06-11, in 10 day(s) (warning below 21 days)'] });
    expect(judgeCertificate(tls('2026-06-11T00:00:00Z'), 7, now).status).toBe('pass');
  });

  it('fails a certificate for another host name', () => {
    const v = judgeCertificate(tls('2026-12-01T00:00:00Z', { trusted: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID', hostnameError: "Host: tenant.example.com. is not in the cert's altnames: DNS:other.example.com" }), 21, now);
    expect(v).toEqual({ status: 'fail', problems: ["does not name tenant.example.com: Host: tenant.example.com. is not in the cert's altnames: DNS:other.example.com (ERR_TLS_CERT_ALTNAME_INVALID)"] });
  });

  it('fails an incomplete chain with the reason from the TLS error code', () => {
    const v = judgeCertificate(tls('2026-12-01T00:00:00Z', { trusted: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 21, now);
    expect(v.problems).toEqual(['not trusted: issuer not trusted (incomplete chain or private CA) (UNABLE_TO_VERIFY_LEAF_SIGNATURE)']);
  });
});
