import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-service-discovery.js';
import { CM, healthy, NAMESPACE, runOne, setEnv } from '../../support/fixture-deployment.js';
import { ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const SERVICE = 'oe-edgi-insights-service';
const FAMILY = 'oe_edgi_insights_service';
const insightService = (data: ReturnType<typeof healthy>) => data.services!.find((s) => s.name === SERVICE)!;

describe('insight-service-discovery', () => {
  it('passes for the healthy deployment and reports the Service Discovery Endpoint', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain(`Cloud Map service ${SERVICE} (${CM.insight}) in namespace ${NAMESPACE.name}`);
    expect(r.findings[0]!.message).toContain(`Service Discovery Endpoint: ${SERVICE}.${NAMESPACE.name}.`);
  });

  it('fails when the service has no service registry', async () => {
    const data = healthy();
    insightService(data).serviceRegistries = [];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`Service discovery is not enabled on ECS service ${SERVICE}`);
    expect(f.message).toContain('Service Discovery must be enabled');
    expect(f.expected).toBe('a Cloud Map service registry');
    expect(f.found).toBe('no service registries');
  });

  it('fails when the registry resolves to no Cloud Map service', async () => {
    const data = healthy();
    data.cloudMapServices = data.cloudMapServices!.filter((s) => s.id !== CM.insight);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('resolves to no Cloud Map service');
    expect(f.expected).toBe('an existing Cloud Map service');
    expect(f.found).toBe('none');
  });

  it('fails when the Cloud Map service is in another namespace than EDGI_WORKSPACE_NAME_SPACE', async () => {
    const data = healthy();
    data.namespaces!.push({ id: 'ns-2', arn: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-2', name: 'other.local', type: 'DNS_PRIVATE' });
    data.cloudMapServices!.find((s) => s.id === CM.insight)!.namespaceId = 'ns-2';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`is in namespace other.local (ns-2), not ${NAMESPACE.name} named by EDGI_WORKSPACE_NAME_SPACE on ${FAMILY}:1`);
    expect(f.expected).toBe(NAMESPACE.name);
    expect(f.found).toBe('other.local');
  });

  it('fails when the namespace of the Cloud Map service does not exist', async () => {
    const data = healthy();
    data.cloudMapServices!.find((s) => s.id === CM.insight)!.namespaceId = 'ns-gone';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('the namespace ns-gone');
    expect(r.findings[0]!.found).toBe('ns-gone');
  });

  it('reports error when the Insight task definition has no EDGI_WORKSPACE_NAME_SPACE', async () => {
    const data = healthy();
    setEnv(data, FAMILY, 'EDGI_WORKSPACE_NAME_SPACE', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain(`${FAMILY}:1 has no EDGI_WORKSPACE_NAME_SPACE`);
    expect(r.findings[0]!.found).toBe('not set');
  });

  skipsWhenRootFails(check, ROOTS.insightServiceRemoved);

  skipsWhenRootFails(check, { ...ROOTS.insightFamilyMissing, when: 'the Insight family has no revision' });

  it.each(['servicediscovery:GetService', 'servicediscovery:ListNamespaces'])('reports error naming %s when it is denied', async (action) => {
    const r = await runOne(check, { ...healthy(), denied: [action] });
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain(`the caller lacks permission ${action}`);
  });
});
