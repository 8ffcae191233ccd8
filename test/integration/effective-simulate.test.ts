import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import check from '../../src/checks/task-role-effective-permissions.js';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from '../support/fault-proxy.js';
import { freshSandbox, endpoint, runAll } from '../support/live.js';

// moto does not implement iam:SimulatePrincipalPolicy; a proxy in front of it answers the call as
// IAM does (query protocol, XML), so the live inventory's simulator path is tested end to end.
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function simulateAnswer(req: ProxiedRequest, decide: (action: string) => { decision: string; by?: string }) {
  const params = new URLSearchParams(req.body.toString('utf8'));
  const actions = [...params.entries()].filter(([k]) => k.startsWith('ActionNames.member.')).map(([, v]) => v);
  const resources = [...params.entries()].filter(([k]) => k.startsWith('ResourceArns.member.')).map(([, v]) => v);
  const members = actions.flatMap((action) =>
    resources.map((resource) => {
      const d = decide(action);
      const matched = d.by ? `<MatchedStatements><member><SourcePolicyId>${xmlEscape(d.by)}</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType></member></MatchedStatements>` : '<MatchedStatements/>';
      return `<member><EvalActionName>${xmlEscape(action)}</EvalActionName><EvalResourceName>${xmlEscape(resource)}</EvalResourceName><EvalDecision>${d.decision}</EvalDecision>${matched}<MissingContextValues/></member>`;
    }),
  );
  return {
    status: 200,
    contentType: 'text/xml',
    body: `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>${members.join('')}</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>injected</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`,
  };
}

describe('effective permissions through iam:SimulatePrincipalPolicy (answered by a proxy as IAM does; moto lacks it)', () => {
  let proxy: FaultProxy;
  let dir: string;

  beforeAll(async () => {
    dir = await freshSandbox();
    // The sandbox config turns the simulator off (moto lacks it): here the proxy answers it, so it is on.
    const file = join(dir, 'askedgi-doctor.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { permissions: { simulate: boolean } };
    config.permissions.simulate = true;
    writeFileSync(file, stringify(config));
    proxy = await startFaultProxy(endpoint());
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('uses IAM\'s answer when the simulator is available, and says so', async () => {
    proxy.inject = (req) => (req.operation === 'SimulatePrincipalPolicy' ? simulateAnswer(req, () => ({ decision: 'allowed', by: 'AskEdgi_ECS_Policy' })) : undefined);
    const { results } = await runAll(dir, [check], undefined, { endpoint: proxy.endpoint });
    expect(results[0]!.status).toBe('pass');
    expect(results[0]!.findings[0]!.message).toMatch(/^IAM role AskEdgiEcsTaskRole may perform all \d+ required action-resource pairs; decided by IAM \(iam:SimulatePrincipalPolicy\)\.$/);
    expect(proxy.injected).toBeGreaterThan(0);
  });

  it('reports IAM\'s explicit Deny as a failure naming the action, the resource and the statement', async () => {
    proxy.inject = (req) =>
      req.operation === 'SimulatePrincipalPolicy' ? simulateAnswer(req, (a) => (a === 'ecs:RunTask' ? { decision: 'explicitDeny', by: 'ScpGuardrail' } : { decision: 'allowed' })) : undefined;
    const { results } = await runAll(dir, [check], undefined, { endpoint: proxy.endpoint });
    expect(results[0]!.status).toBe('fail');
    expect(results[0]!.findings).toHaveLength(1);
    expect(results[0]!.findings[0]!.message).toMatch(
      /^IAM role AskEdgiEcsTaskRole may not ecs:RunTask on arn:aws:ecs:us-east-1:\d{12}:task-definition\/edgi-data-service:2: an explicit Deny wins \(ScpGuardrail\); .* \[IAM simulator\]\.$/,
    );
  });

  it('falls back to its own evaluation when moto answers the call itself (not implemented)', async () => {
    proxy.inject = () => undefined;
    const { results } = await runAll(dir, [check], undefined, { endpoint: proxy.endpoint });
    expect(results[0]!.status).toBe('pass');
    expect(results[0]!.findings[0]!.message).toContain("decided by the doctor's own evaluation (iam:SimulatePrincipalPolicy was unavailable) of managed policy AskEdgi_ECS_Policy (v2).");
  });
});
