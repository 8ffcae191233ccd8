import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, THROTTLE, type FaultProxy } from '../support/fault-proxy.js';
import { CHECKS_WITHOUT_BROWSER, CLEAN_STATUS, endpoint, freshSandbox, runAll, statusMap } from '../support/live.js';

// AWS throttles; moto does not. A proxy in front of moto answers chosen calls with each protocol's
// throttling error: the SDK's adaptive retries absorb a burst, and throttling past the retries is
// an error naming the action for the checks that needed it, while the others still pass.
describe('throttling', () => {
  let proxy: FaultProxy;
  let dir: string;
  const clean = () => Object.fromEntries(CHECKS_WITHOUT_BROWSER.map((c) => [c.id, CLEAN_STATUS[c.id] ?? 'pass']));

  beforeAll(async () => {
    dir = await freshSandbox();
    proxy = await startFaultProxy(endpoint());
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('a burst of ThrottlingException on ECS and RequestLimitExceeded on EC2 is retried away', async () => {
    let ecs = 0;
    let ec2 = 0;
    proxy.injected = 0;
    proxy.inject = (req) => {
      if (req.operation === 'DescribeTaskDefinition' && ecs < 3) return (ecs += 1), THROTTLE.json();
      if (req.operation === 'DescribeSecurityGroups' && ec2 < 3) return (ec2 += 1), THROTTLE.ec2();
      return undefined;
    };
    const { results } = await runAll(dir, CHECKS_WITHOUT_BROWSER, undefined, { endpoint: proxy.endpoint });
    expect(proxy.injected).toBe(6);
    expect(statusMap(results)).toEqual(clean());
  });

  it('throttling past the retries is error naming the action; every other check still passes', async () => {
    proxy.injected = 0;
    proxy.inject = (req) => (req.operation === 'DescribeSecurityGroups' ? THROTTLE.ec2() : undefined);
    const { results } = await runAll(dir, CHECKS_WITHOUT_BROWSER, undefined, { endpoint: proxy.endpoint, maxAttempts: 2 });
    const errored = results.filter((r) => r.status === 'error');
    expect(errored.map((r) => r.id).sort()).toEqual(
      [
        'edgi-sg-ingress-vpc',
        'edgi-sg-ingress-elasticsearch',
        'edgi-sg-ingress-rds',
        'edgi-sg-ingress-efs',
        'rds-sg-allows-edgi',
        'elasticsearch-sg-allows-edgi',
        'efs-mount-targets-allow-nfs',
        // The effective network paths read the same groups.
        'edgi-egress-paths',
        'edgi-callers-reach-8000',
      ].sort(),
    );
    for (const r of errored) expect(r.findings[0]!.message).toMatch(/ec2:DescribeSecurityGroups.*RequestLimitExceeded.*still throttled after retries/);
    const others = results.filter((r) => r.status !== 'error');
    for (const r of others) expect(r.status, r.id).toBe(CLEAN_STATUS[r.id] ?? 'pass');
    expect(proxy.injected).toBeGreaterThan(0);
  });
});
