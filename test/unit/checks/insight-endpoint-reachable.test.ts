import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/checks/index.js';
import check from '../../../src/checks/insight-endpoint-reachable.js';
import type { Config } from '../../../src/config/schema.js';
import { runChecks } from '../../../src/engine/runner.js';
import { FixtureInventory, type FixtureData } from '../../../src/inventory/fixture.js';
import type { CheckResult } from '../../../src/model.js';
import { closedPort, routes, startHttp, startSilent, type LocalServer } from '../../support/http-servers.js';
import { CM, config, fixtureGraph, healthy, setEnv } from '../../support/fixture-deployment.js';

// "Inside the VPC" is modelled by ctx.inVpc (--in-vpc) and local servers standing in for the Insight
// endpoint and its Cloud Map instances; outside it, the fixture's private name does not resolve.
const servers: LocalServer[] = [];
const track = <T extends LocalServer>(s: T): T => {
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const cfgWith = (http: Partial<Config['http']> = {}) => config({ http: { timeoutMs: 2000, retries: 0, ...http } });

/** The check and the one it needs, with a run context saying whether the doctor is inside the VPC. */
async function run(data: FixtureData, cfg: Config, inVpc: boolean): Promise<CheckResult> {
  const roots = (await fixtureGraph()).get(check.id) ?? [];
  const needed = CHECKS.filter((c) => roots.includes(c.id));
  const results = await runChecks([...needed, check], new FixtureInventory(data), cfg, { outDir: 'reports', env: {}, inVpc });
  return results.find((r) => r.id === check.id)!;
}

/** The fixture with EDGI_INSIGHT_SERVICE_HOST and the Insight Cloud Map instance pointing at local addresses. */
function local(host: string, instancePort: number): FixtureData {
  const data = healthy();
  setEnv(data, 'ovaledge-ui', 'EDGI_INSIGHT_SERVICE_HOST', host);
  data.cloudMapInstances![CM.insight] = [{ id: 'insight-task-1', attributes: { AWS_INSTANCE_IPV4: '127.0.0.1', AWS_INSTANCE_PORT: String(instancePort) } }];
  return data;
}

describe('insight-endpoint-reachable', () => {
  it('is one skip outside the VPC: the private DNS name does not resolve', async () => {
    const r = await run(healthy(), cfgWith(), false);
    expect(r.status).toBe('skip');
    expect(r.findings).toEqual([
      {
        status: 'skip',
        code: 'insight-endpoint-reachable/in-vpc-only',
        fingerprint: 'insight-endpoint-reachable/in-vpc-only@oe-edgi-insights-service.askedgi.local',
        message: 'The Insight endpoint oe-edgi-insights-service.askedgi.local is reachable only inside the VPC (private DNS); run with --in-vpc from a host in the VPC to probe it.',
        resource: 'oe-edgi-insights-service.askedgi.local',
      },
    ]);
  });

  it('falls back to the step-8 Service Discovery Endpoint when EDGI_INSIGHT_SERVICE_HOST is not set', async () => {
    const data = healthy();
    setEnv(data, 'ovaledge-ui', 'EDGI_INSIGHT_SERVICE_HOST', undefined);
    const r = await run(data, cfgWith(), false);
    expect(r.findings[0]!.message).toContain('The Insight endpoint oe-edgi-insights-service.askedgi.local is reachable only inside the VPC');
  });

  it('passes inside the VPC when the endpoint and every instance answer HTTP', async () => {
    const s = track(await startHttp(routes({ '/': { status: 404, body: '{"detail":"Not Found"}' } })));
    const r = await run(local('127.0.0.1', s.port), cfgWith({ insightPort: s.port }), true);
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(2);
    expect(r.findings[0]!.message).toMatch(new RegExp(`^The Insight endpoint 127\\.0\\.0\\.1:${s.port} \\(EDGI_INSIGHT_SERVICE_HOST on ovaledge-ui:1\\) answers HTTP 404 to GET / in \\d+ ms \\(TCP connect \\d+ ms\\)\\.$`));
    expect(r.findings[1]!.message).toMatch(new RegExp(`^Cloud Map instance insight-task-1 of oe-edgi-insights-service 127\\.0\\.0\\.1:${s.port} answers HTTP 404`));
    expect(s.requests.map((q) => q.url)).toEqual(['/', '/']);
  });

  it('probes without --in-vpc when the name resolves here (e.g. over a VPN), and then only warns when unreachable', async () => {
    const s = track(await startHttp(routes({ '/': { status: 200 } })));
    const ok = await run(local('localhost', s.port), cfgWith({ insightPort: s.port }), false);
    expect(ok.status).toBe('pass');
    expect(ok.findings[0]!.message).toMatch(/^The Insight endpoint localhost:\d+ \(EDGI_INSIGHT_SERVICE_HOST on ovaledge-ui:1, resolves to .*127\.0\.0\.1.*\) answers HTTP 200/);

    const port = await closedPort();
    const r = await run(local('localhost', port), cfgWith({ insightPort: port }), false);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('(Probed without --in-vpc because the name resolves here; the route from this host may be what is missing.)');
  });

  it('fails inside the VPC naming host:port when the connection is refused', async () => {
    const port = await closedPort();
    const r = await run(local('127.0.0.1', port), cfgWith({ insightPort: port, retries: 1 }), true);
    expect(r.status).toBe('fail');
    expect(r.findings[0]).toEqual({
      status: 'fail',
      code: 'insight-endpoint-reachable/not-reachable',
      fingerprint: `insight-endpoint-reachable/not-reachable@127.0.0.1:${port}`,
      message: `The Insight endpoint 127.0.0.1:${port} (EDGI_INSIGHT_SERVICE_HOST on ovaledge-ui:1) is not reachable: TCP connect failed, connection refused (ECONNREFUSED) (2 attempts).`,
      resource: `127.0.0.1:${port}`,
      expected: 'an HTTP answer on GET /',
      found: 'ECONNREFUSED',
    });
    expect(r.findings[1]!.message).toContain(`Cloud Map instance insight-task-1 of oe-edgi-insights-service 127.0.0.1:${port} is not reachable`);
  });

  it('fails inside the VPC when a server accepts connections and never answers, within the timeout', async () => {
    const s = track(await startSilent());
    const t0 = performance.now();
    const r = await run(local('127.0.0.1', s.port), cfgWith({ insightPort: s.port, timeoutMs: 300 }), true);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toMatch(/is not reachable: it accepts TCP connections \(\d+ ms\) but GET \/ got no answer: timed out after 300 ms\.$/);
    expect(r.findings[0]!.found).toBe('timeout');
  });

  it('fails inside the VPC when the endpoint name does not resolve, and still probes the instances', async () => {
    const s = track(await startHttp(routes({ '/': { status: 200 } })));
    const data = local('oe-edgi-insights-service.askedgi-doctor.invalid', s.port);
    const r = await run(data, cfgWith(), true);
    expect(r.status).toBe('fail');
    expect(r.findings[0]).toMatchObject({ status: 'fail', resource: 'oe-edgi-insights-service.askedgi-doctor.invalid', found: 'ENOTFOUND' });
    expect(r.findings[0]!.message).toContain('does not resolve in DNS from inside the VPC');
    expect(r.findings[1]!.status).toBe('pass');
  });

  it('fails when Cloud Map has no instance of the Insight service', async () => {
    const s = track(await startHttp(routes({ '/': { status: 200 } })));
    const data = local('127.0.0.1', s.port);
    data.cloudMapInstances![CM.insight] = [];
    const r = await run(data, cfgWith({ insightPort: s.port }), true);
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.status)).toEqual(['fail', 'pass']);
    expect(r.findings[0]!.message).toBe(`Cloud Map service oe-edgi-insights-service (${CM.insight}) has no registered instances: oe-edgi-insights-service resolves to no address.`);
  });

  it('skips because insight-service-discovery failed', async () => {
    const data = healthy();
    data.services!.find((s) => s.name === 'oe-edgi-insights-service')!.serviceRegistries = [];
    const r = await run(data, cfgWith(), true);
    expect(r.findings).toEqual([{ status: 'skip', code: 'insight-endpoint-reachable/not-run', fingerprint: 'insight-endpoint-reachable/not-run', message: 'Not run because insight-service-discovery failed.' }]);
  });

  it('reports error naming the permission when Cloud Map instances cannot be listed', async () => {
    const s = track(await startHttp(routes({ '/': { status: 200 } })));
    const r = await run({ ...local('127.0.0.1', s.port), denied: ['servicediscovery:ListInstances'] }, cfgWith({ insightPort: s.port }), true);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('servicediscovery:ListInstances');
  });
});
