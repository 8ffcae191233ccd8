import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-namespace.js';
import { ACCOUNT, healthy, NAMESPACE, REGION, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const other = { id: 'ns-2', arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:namespace/ns-2`, name: 'other.local', type: 'HTTP' };

describe('insight-namespace', () => {
  it('passes when DNS_NAME_SPACE_ID is the id of the namespace EDGI_WORKSPACE_NAME_SPACE names', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(
      `Task definition ${INSIGHT}:1 sets DNS_NAME_SPACE_ID=${NAMESPACE.id}, the Cloud Map namespace ${NAMESPACE.name} (DNS_PRIVATE) that EDGI_WORKSPACE_NAME_SPACE names, the one the Insight service discovery uses.`,
    );
  });

  it('fails when DNS_NAME_SPACE_ID names a same-named namespace of another VPC, not the one the Insight service discovery uses', async () => {
    const data = healthy();
    data.namespaces!.push({ id: 'ns-other-vpc', arn: `arn:aws:servicediscovery:${REGION}:${ACCOUNT}:namespace/ns-other-vpc`, name: NAMESPACE.name, type: 'DNS_PRIVATE' });
    setEnv(data, INSIGHT, 'DNS_NAME_SPACE_ID', 'ns-other-vpc');
    const r = await runOne(check, data);
    expect(r.findings).toEqual([
      {
        status: 'fail',
        code: 'insight-namespace/discovery-mismatch',
        fingerprint: `insight-namespace/discovery-mismatch@arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${INSIGHT}:1`,
        message: `Task definition ${INSIGHT}:1 sets DNS_NAME_SPACE_ID=ns-other-vpc (namespace ns-other-vpc (${NAMESPACE.name}, DNS_PRIVATE)), but the Insight service's own service discovery uses namespace ${NAMESPACE.id} (${NAMESPACE.name}, DNS_PRIVATE); Data services would register where the Insight service does not look.`,
        resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${INSIGHT}:1`,
        expected: NAMESPACE.id,
        found: 'ns-other-vpc',
      },
    ]);
  });

  it('fails naming both namespaces when DNS_NAME_SPACE_ID is another namespace', async () => {
    const data = healthy();
    data.namespaces!.push(other);
    setEnv(data, INSIGHT, 'DNS_NAME_SPACE_ID', other.id);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(
      `Task definition ${INSIGHT}:1 sets DNS_NAME_SPACE_ID=ns-2, which is namespace ns-2 (other.local, HTTP), but EDGI_WORKSPACE_NAME_SPACE=${NAMESPACE.name} is namespace ${NAMESPACE.id} (${NAMESPACE.name}, DNS_PRIVATE).`,
    );
    expect(f.expected).toBe(NAMESPACE.id);
    expect(f.found).toBe(`DNS_NAME_SPACE_ID=ns-2 is namespace other.local; EDGI_WORKSPACE_NAME_SPACE=${NAMESPACE.name}`);
  });

  it('fails when DNS_NAME_SPACE_ID matches no namespace', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'DNS_NAME_SPACE_ID', 'ns-gone');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('sets DNS_NAME_SPACE_ID=ns-gone, which is no existing Cloud Map namespace');
  });

  it('fails when no namespace has the name EDGI_WORKSPACE_NAME_SPACE gives', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'EDGI_WORKSPACE_NAME_SPACE', 'acme.local');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(
      `Task definition ${INSIGHT}:1 sets EDGI_WORKSPACE_NAME_SPACE=acme.local, but no Cloud Map namespace has that name; DNS_NAME_SPACE_ID=${NAMESPACE.id} is namespace ${NAMESPACE.id} (${NAMESPACE.name}, DNS_PRIVATE).`,
    );
    expect(f.expected).toBe(`a Cloud Map namespace named acme.local with id ${NAMESPACE.id}`);
    expect(f.found).toBe(`namespaces ${NAMESPACE.id} (${NAMESPACE.name}, DNS_PRIVATE)`);
  });

  it('fails when the namespace is missing altogether', async () => {
    const data = healthy();
    data.namespaces = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('no Cloud Map namespace has that name');
    expect(r.findings[0]!.found).toBe('no namespaces');
  });

  it('passes when two namespaces share the name and the id is one of them', async () => {
    const data = healthy();
    data.namespaces!.push({ ...other, name: NAMESPACE.name });
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('fails when DNS_NAME_SPACE_ID is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'DNS_NAME_SPACE_ID', '<ECS namespace ID>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('sets DNS_NAME_SPACE_ID=<ECS namespace ID>, still the runbook placeholder');
  });

  it('fails when EDGI_WORKSPACE_NAME_SPACE is not set', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'EDGI_WORKSPACE_NAME_SPACE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('has no EDGI_WORKSPACE_NAME_SPACE');
    expect(r.findings[0]!.found).toBe('not set');
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'servicediscovery:ListNamespaces');

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });
});
