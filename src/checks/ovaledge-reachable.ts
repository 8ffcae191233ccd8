// Step 10, before the browser: is the tenant's OvalEdge URL reachable at all? One finding per
// aspect — DNS, TLS certificate, redirect chain, the login page — so a broken deployment names the
// layer that broke (a DNS record, an expired certificate, an ALB without healthy targets) before the
// browser smoke test (which needs this check) tries to log in.
//
// A redirect to another host is how a tenant with single sign-on sends its users to the identity
// provider. DOMAIN.md reports such a tenant as `skip`, not as a failure, and the browser smoke test
// does the same; here too the login-page finding is `skip` naming the SSO host, while DNS, TLS and
// the chain up to that redirect keep their own verdicts (so the check passes when they are healthy).
// The redirect is never followed: nothing is sent to the other host.
import type { Config } from '../config/schema.js';
import { defineResolver, resolve } from '../resolve/core.js';
import type { Check } from '../engine/check.js';
import { fail, pass, skip, warn } from '../engine/finding.js';
import type { Finding } from '../model.js';
import {
  bareHost,
  followRedirects,
  hostPort,
  inspectTls,
  isLoopback,
  judgeCertificate,
  resolveHost,
  urlPort,
  type HttpAnswer,
  type RedirectChain,
  type TlsResult,
} from '../probes/http.js';

/** "302 → /ovaledge/login": a hop as the chain finding lists it. */
const hopText = (h: HttpAnswer) => (h.location !== undefined ? `${h.status} → ${h.location}` : `${h.status}`);

/** "1 attempt" / "2 attempts". */
const attemptsText = (n: number) => `${n} attempt${n === 1 ? '' : 's'}`;

/** DNS, TLS, the redirect chain and the login page of the tenant URL, as findings. */
async function probeTenant(cfg: Config): Promise<Finding[]> {
  if (!cfg.smoke) return [skip('No OvalEdge base URL configured (smoke.baseUrl).', { code: 'not-configured' })];
  const settings = { timeoutMs: cfg.http.timeoutMs, retries: cfg.http.retries };
  const base = new URL(cfg.smoke.baseUrl);
  const host = bareHost(base.hostname);
  const findings: Finding[] = [];

  // DNS: a name that does not resolve is the root cause of everything after it.
  const dns = await resolveHost(host, settings.timeoutMs);
  if (dns.error) {
    return [fail(`OvalEdge host ${host} does not resolve in DNS: ${dns.error.message} (${dns.ms} ms).`, { code: 'dns-failed', resource: host, expected: 'an A/AAAA record', found: dns.error.code })];
  }
  findings.push(
    dns.literal
      ? pass(`OvalEdge host ${host} is an IP address; no DNS lookup needed.`, { resource: host })
      : pass(`OvalEdge host ${host} resolves to ${dns.addresses.join(', ')} in ${dns.ms} ms.`, { resource: host }),
  );

  // The chain starts where a user starts: the base URL as configured.
  const chain = await followRedirects(base.href, settings);

  // TLS: the first https URL of the chain (the base URL itself, or where http redirected to).
  const httpsUrl = chain.visited.map((u) => new URL(u)).find((u) => u.protocol === 'https:');
  let tls: TlsResult | undefined;
  if (httpsUrl) {
    const tlsHost = bareHost(httpsUrl.hostname);
    const port = urlPort(httpsUrl);
    tls = await inspectTls(tlsHost, port, settings.timeoutMs);
    findings.push(tlsFinding(tls, cfg.http.certificateWarningDays));
  } else if (chain.outcome !== 'failed' || chain.hops.length > 0) {
    findings.push(
      isLoopback(host)
        ? pass(`The tenant URL ${base.href} is plain HTTP on a loopback address; its traffic does not leave this host.`, { resource: base.href })
        : warn(`The tenant URL ${base.href} is not HTTPS: logins and AskEdgi data cross the network unencrypted.`, { code: 'not-https', resource: base.href, expected: 'https://', found: `${base.protocol}//` }),
    );
  }

  // The redirect chain, when there is one.
  const redirects = chain.hops.filter((h) => h.status >= 300 && h.status < 400 && h.location !== undefined);
  if (redirects.length > 0) {
    const list = redirects.map(hopText).join(', ');
    if (chain.outcome === 'too-many-redirects') {
      findings.push(fail(`GET ${chain.start} redirects ${redirects.length} times without reaching a page: ${list}.`, { code: 'too-many-redirects', resource: chain.start, expected: 'a chain ending at the login page', found: list }));
    } else if (chain.outcome === 'bad-location') {
      findings.push(fail(`GET ${chain.start} redirects to a location that is not an http(s) URL: ${list}.`, { code: 'bad-redirect', resource: chain.start, expected: 'an http(s) Location', found: redirects.at(-1)!.location! }));
    } else {
      findings.push(pass(`GET ${chain.start} redirects: ${list}.`, { resource: chain.start }));
    }
  }

  findings.push(loginFinding(chain, base, tls));
  return findings;
}

/**
 * The tenant URL answers with the login page; root: ovaledge-reachable. The browser smoke test
 * needs it: when the tenant cannot be reached, the browser has nothing to log in to.
 */
export const TENANT_REACHABLE = defineResolver<Finding[]>('tenant-reachable', 'ovaledge-reachable', async ({ cfg }) => {
  const findings = await probeTenant(cfg);
  return findings.some((f) => f.status === 'fail' || f.status === 'error') ? { ok: false, findings } : { ok: true, value: findings };
});

const check: Check = {
  id: 'ovaledge-reachable',
  title: 'The OvalEdge base URL resolves in DNS, presents a valid TLS certificate for its host name and serves the login page',
  step: 10,
  severity: 'high',
  remediation:
    'Follow the failing aspect: a name that does not resolve needs its DNS record (Route 53 alias to the load balancer); an untrusted, expired or mismatched certificate is replaced in ACM and attached to the HTTPS listener; a timeout or refused connection points at the load balancer, its security group or listener; 502/503/504 means the OvalEdge UI service has no healthy targets (check the ECS service ovaledge-ui and the target group health checks). A redirect to another host is single sign-on: the browser smoke test then cannot log in with a password and is skipped.',
  codes: ['not-configured', 'dns-failed', 'not-https', 'too-many-redirects', 'bad-redirect', 'tls-not-inspected', 'tls-invalid', 'tls-expiring', 'login-not-requested', 'no-answer', 'sso-redirect', 'login-not-reached', 'http-status', 'no-location', 'not-login-page'],
  permissions: [],
  async run(inv, cfg) {
    const r = await resolve(inv, cfg, TENANT_REACHABLE);
    return r.ok ? r.value : r.findings;
  },
};

function tlsFinding(tls: TlsResult, warnDays: number): Finding {
  const where = hostPort(tls.host, tls.port);
  if (!tls.cert) {
    const why = tls.error?.message ?? 'no certificate';
    // No handshake: the connection itself failed, which the login-page finding reports.
    return skip(`TLS certificate of ${where} not inspected: ${why}.`, { code: 'tls-not-inspected', resource: where });
  }
  const c = tls.cert;
  const facts = `subject ${c.subject || '(empty)'}, issuer ${c.issuer || '(empty)'}, valid until ${c.validTo.toISOString().slice(0, 10)} (${c.daysToExpiry} days)${tls.protocol ? `, ${tls.protocol}` : ''}`;
  const verdict = judgeCertificate(tls, warnDays);
  const extra = { resource: where, found: c.subjectAltName ? `subjectAltName ${c.subjectAltName}` : `subject ${c.subject}` };
  if (verdict.status === 'fail') {
    return fail(`TLS certificate of ${where} is not valid: ${verdict.problems.join('; ')} — ${facts}.`, { code: 'tls-invalid', ...extra, expected: `a trusted, unexpired certificate for ${tls.host}` });
  }
  if (verdict.status === 'warn') return warn(`TLS certificate of ${where} ${verdict.problems.join('; ')} — ${facts}.`, { code: 'tls-expiring', ...extra, expected: `valid for at least ${warnDays} more days` });
  return pass(`TLS certificate of ${where} is trusted and names ${tls.host} (handshake ${tls.ms} ms): ${facts}.`, { resource: where });
}

function loginFinding(chain: RedirectChain, base: URL, tls: TlsResult | undefined): Finding {
  const basePath = base.pathname.replace(/\/+$/, '');
  const loginPath = `${basePath}/login`;
  const total = `${chain.totalMs} ms in all`;
  const last = chain.hops.at(-1);

  if (chain.outcome === 'failed') {
    const f = chain.failure!;
    if (f.error.certificate && tls?.cert && tls.trusted === false) {
      return skip(`Login page not requested: the TLS certificate of ${hostPort(tls.host, tls.port)} is not accepted (see the certificate finding).`, { code: 'login-not-requested', resource: f.url });
    }
    return fail(`GET ${f.url} got no answer: ${f.error.message} (${attemptsText(f.attempts)}, ${total}).`, {
      code: 'no-answer',
      resource: f.url,
      expected: 'an HTTP answer',
      found: f.error.timedOut ? 'timeout' : f.error.code,
    });
  }
  if (chain.outcome === 'cross-host') {
    const to = chain.crossHost!;
    return skip(
      `${last?.url ?? chain.start} redirects to another host, ${to.host} (single sign-on at ${to.origin}); not followed — the doctor never follows a redirect to another host. The OvalEdge login form is behind SSO, so the password login of the smoke test is not possible.`,
      { code: 'sso-redirect', resource: last?.url ?? chain.start, found: to.host },
    );
  }
  if (chain.outcome !== 'answered' || !last) {
    return skip(`Login page not reached (see the redirect chain).`, { code: 'login-not-reached', resource: chain.start });
  }
  const path = new URL(last.url).pathname.replace(/\/+$/, '');
  const status = last.status;
  const n = chain.hops.length;
  const timing = `in ${last.ms} ms (${n} request${n === 1 ? '' : 's'}, ${total})`;
  if (status >= 400) {
    const why = status === 502 || status === 503 || status === 504 ? ' — the load balancer has no healthy OvalEdge targets' : '';
    return fail(`GET ${last.url} answered HTTP ${status}${why} (${attemptsText(last.attempts)}, ${total}).`, { code: 'http-status', resource: last.url, expected: 'HTTP 200', found: `HTTP ${status}` });
  }
  if (status >= 300) {
    return fail(`GET ${last.url} answered HTTP ${status} without a Location header.`, { code: 'no-location', resource: last.url, expected: 'HTTP 200', found: `HTTP ${status}` });
  }
  if (path === loginPath || path.endsWith('/login')) {
    return pass(`OvalEdge login page ${last.url} answered HTTP ${status} ${timing}.`, { resource: last.url });
  }
  return warn(`GET ${chain.start} ends at ${last.url} (HTTP ${status}), not at the login page ${base.origin}${loginPath}.`, { code: 'not-login-page', resource: last.url, expected: `${base.origin}${loginPath}`, found: last.url });
}

export default check;
