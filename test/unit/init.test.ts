// The recognisers of `init` (src/init/recognise.ts) on the reference deployment's plain objects, and
// discovery plus rendering on the fixture inventory: roles by container names and the runbook's
// variables, not by the default names; peers from the Edgi group's rules; decisions when ambiguous.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { discover, INIT_PERMISSIONS, isDecision, type DiscoveryInventory } from '../../src/init/discover.js';
import { AWS_OPERATIONS } from '../../src/inventory/operations.js';
import { accessPointNaming, classifyServices, familyOf, isData, isInsight, isOvaledge, ownPolicies, peerGroups, shortKey, uiOrJob, type ServiceCandidate } from '../../src/init/recognise.js';
import { decisions, renderConfig } from '../../src/init/render.js';
import { FixtureInventory, type FixtureData } from '../../src/inventory/fixture.js';
import type { SecurityGroup, TaskDefinition } from '../../src/inventory/types.js';
import { ACCESS_KEY_ID, allTraffic, healthy, IDS, tcp, taskDefinitions } from '../support/fixture-deployment.js';

const td = (family: string): TaskDefinition => structuredClone(taskDefinitions().find((t) => t.family === family)!);
const renamed = (t: TaskDefinition, family: string, container: string): TaskDefinition => ({ ...t, family, containers: t.containers.map((c) => ({ ...c, name: container })) });
const candidate = (name: string, t: TaskDefinition): ServiceCandidate => ({ service: { name, subnets: [], securityGroups: [], taskDefinition: t.arn }, td: t });

describe('role recognisers', () => {
  it('recognise Insight, Data and the OvalEdge task definitions by the runbook names', () => {
    expect(isInsight(td('oe_edgi_insights_service'))).toBe(true);
    expect(isData(td('edgi-data-service'))).toBe(true);
    expect(isInsight(td('edgi-data-service'))).toBe(false);
    for (const f of ['ovaledge-ui', 'ovaledge-job']) {
      expect(isOvaledge(td(f))).toBe(true);
      expect(isInsight(td(f))).toBe(false);
      expect(isData(td(f))).toBe(false);
    }
  });

  it('recognise them with every family and container renamed, by the variables alone', () => {
    expect(isInsight(renamed(td('oe_edgi_insights_service'), 'x-insights', 'app'))).toBe(true);
    expect(isData(renamed(td('edgi-data-service'), 'x-workspace', 'app'))).toBe(true);
    expect(isData(renamed(td('oe_edgi_insights_service'), 'x-insights', 'app'))).toBe(false);
    expect(isOvaledge(renamed(td('ovaledge-ui'), 'portal', 'app'))).toBe(true);
    // A task with none of the variables plays no role.
    const plainTd: TaskDefinition = { ...td('ovaledge-ui'), family: 'nginx', containers: [{ name: 'nginx', portMappings: [], environment: [], secrets: [], mountPoints: [] }] };
    expect([isInsight(plainTd), isData(plainTd), isOvaledge(plainTd)]).toEqual([false, false, false]);
  });

  it('tell UI from Job by name words, else by the port the UI serves', () => {
    expect(uiOrJob(candidate('acme-web', renamed(td('ovaledge-ui'), 'acme-portal', 'portal')))?.role).toBe('ui');
    expect(uiOrJob(candidate('acme-worker', renamed(td('ovaledge-job'), 'acme-portal', 'portal')))?.role).toBe('job');
    const withPort = renamed(td('ovaledge-ui'), 'acme-portal', 'portal');
    withPort.containers[0]!.portMappings = [{ containerPort: 8080, protocol: 'tcp' }];
    expect(uiOrJob(candidate('acme-a', withPort))).toEqual({ role: 'ui', by: 'a container port (the UI serves HTTP)' });
    const noPort = renamed(td('ovaledge-job'), 'acme-portal', 'portal');
    noPort.containers[0]!.portMappings = [];
    expect(uiOrJob(candidate('acme-b', noPort))?.role).toBe('job');
    // Both words: no guess.
    expect(uiOrJob(candidate('ui-job', noPort))).toBeUndefined();
  });

  it('classify the services of a cluster: one each, or two candidates for one role', () => {
    const roles = classifyServices([candidate('a', td('oe_edgi_insights_service')), candidate('b', td('ovaledge-ui')), candidate('c', td('ovaledge-job')), candidate('d', renamed(td('oe_edgi_insights_service'), 'i2', 'x'))]);
    expect(roles.insight.map((r) => r.candidate.service.name)).toEqual(['a', 'd']);
    expect(roles.ui.map((r) => r.candidate.service.name)).toEqual(['b']);
    expect(roles.job.map((r) => r.candidate.service.name)).toEqual(['c']);
  });

  it('peer groups: explicit port rules only, all-traffic rules only for NFS, never the group itself', () => {
    const edgi: SecurityGroup = { id: 'sg-e', name: 'edgi', ingress: [tcp(9200, { groups: ['sg-es'] }), tcp(3306, { groups: ['sg-rds', 'sg-e'] }), allTraffic({ groups: ['sg-efs'] }), { ...tcp(0, { groups: ['sg-wide'] }), fromPort: 0, toPort: 65535 }], egress: [] };
    expect(peerGroups(edgi, 9200)).toEqual(['sg-es']);
    expect(peerGroups(edgi, 3306)).toEqual(['sg-rds']);
    expect(peerGroups(edgi, 2049, true)).toEqual(['sg-efs', 'sg-wide']);
    expect(peerGroups(edgi, 2049)).toEqual([]);
  });

  it('small readers: families, access point naming, own policies, shortened key ids', () => {
    expect(familyOf('arn:aws:ecs:us-east-1:1:task-definition/edgi-data-service:7')).toBe('edgi-data-service');
    expect(familyOf('edgi-data-service:7')).toBe('edgi-data-service');
    expect(familyOf('edgi-data-service')).toBe('edgi-data-service');
    expect(accessPointNaming(['/oe_edgi_insights_prod_logs', '/oe_edgi_insights_prod_documents', '/oe_edgi_insights_prod_store'])).toEqual({ env: 'prod' });
    expect(accessPointNaming(['/acme_logs', '/acme_documents', '/acme_store'])).toEqual({ prefix: '/acme' });
    expect(accessPointNaming(['/a_logs', '/b_store'])).toBeUndefined();
    expect(ownPolicies([{ name: 'AskEdgi_policy_Saas', arn: 'arn:aws:iam::1:policy/AskEdgi_policy_Saas' }, { name: 'Other', arn: 'arn:aws:iam::1:policy/Other' }], 'AskEdgi_policy_Saas')).toEqual(['AskEdgi_policy_Saas']);
    expect(ownPolicies([{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { name: 'Mine', arn: 'arn:aws:iam::1:policy/Mine' }], 'X')).toEqual(['Mine']);
    expect(shortKey(ACCESS_KEY_ID)).toBe('AKIA…0001');
    expect(shortKey(ACCESS_KEY_ID)).not.toContain(ACCESS_KEY_ID.slice(4, -4));
  });
});

/** The fixture inventory with the two discovery reads (ListServices, GetAccessKeyLastUsed) answered from its data. */
class DiscoveryFixture extends FixtureInventory implements DiscoveryInventory {
  constructor(private readonly d: FixtureData) {
    super(d);
  }
  serviceNames(): Promise<string[]> {
    return Promise.resolve((this.d.services ?? []).map((s) => s.name));
  }
  accessKeyOwner(id: string): Promise<string | undefined> {
    return Promise.resolve(this.d.iamUsers?.find((u) => u.accessKeys.some((k) => k.id === id))?.name);
  }
}

describe('discovery on the fixture inventory', () => {
  it('the reference deployment: every key found, nothing to decide, valid YAML with a source comment on each value', async () => {
    const found = await discover(new DiscoveryFixture(healthy()), { cluster: 'acme', region: 'us-east-1' });
    expect(decisions(found)).toEqual([]);
    const text = renderConfig(found, { schema: 'schemas/x.json', header: 'test' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=schemas/x.json');
    expect(parse(text)).toMatchObject({
      cluster: 'acme',
      env: 'dev',
      services: { insight: 'oe-edgi-insights-service', ui: 'ovaledge-ui', job: 'ovaledge-job' },
      securityGroups: { elasticsearch: IDS.esSg, rds: IDS.rdsSg, efs: IDS.efsSg },
      efs: { fileSystemId: IDS.fs },
      network: { edgiSecurityGroup: IDS.edgiSg },
      iam: { user: 'edgi_user' },
    });
    expect(text).toMatch(/efs: sg-efs # from sg-efs \(efs\): a security group of the mount targets of fs-1, admitted by the Edgi group sg-edgi on NFS/);
    expect(text).not.toContain(ACCESS_KEY_ID);
  });

  it('reads only with the actions INIT_PERMISSIONS declares (the README lists the two beyond run), each a listed read operation', async () => {
    const inv = new DiscoveryFixture(healthy());
    await discover(inv, { cluster: 'acme', region: 'us-east-1' });
    const used = Object.keys(inv.apiCalls());
    expect(used.length).toBeGreaterThan(8);
    for (const a of used) expect(INIT_PERMISSIONS, a).toContain(a);
    const listed = new Set(AWS_OPERATIONS.flatMap((o) => [...o.actions, ...(o.hidden ?? [])]));
    for (const a of INIT_PERMISSIONS) expect(listed.has(a), a).toBe(true);
    expect(AWS_OPERATIONS.filter((o) => o.getters.some((g) => g === 'serviceNames' || g === 'accessKeyOwner')).map((o) => o.actions[0])).toEqual(['ecs:ListServices', 'iam:GetAccessKeyLastUsed']);
  });

  it('two Elasticsearch candidates: a decision listing both, written commented out; the other keys still found', async () => {
    const data = healthy();
    data.securityGroups!.push({ id: 'sg-es2', name: 'search-2', ingress: [], egress: [] });
    data.securityGroups!.find((g) => g.id === IDS.edgiSg)!.ingress.push(tcp(9200, { groups: ['sg-es2'] }));
    const found = await discover(new DiscoveryFixture(data), { cluster: 'acme', region: 'us-east-1' });
    expect(found.entries.filter(isDecision).map((e) => e.path.join('.'))).toEqual(['securityGroups.elasticsearch']);
    expect(decisions(found)[0]).toBe(`securityGroups.elasticsearch: 2 candidates for the Elasticsearch security group: ${IDS.esSg} (inbound TCP 9200 rule of the Edgi group ${IDS.edgiSg} from ${IDS.esSg} (es)) | sg-es2 (inbound TCP 9200 rule of the Edgi group ${IDS.edgiSg} from sg-es2 (search-2))`);
    const text = renderConfig(found, { schema: 's', header: 'h' });
    expect(text).toContain(`  # elasticsearch: ${IDS.esSg} #`);
    expect(text).toContain('  # elasticsearch: sg-es2 #');
    expect((parse(text) as { securityGroups: unknown }).securityGroups).toEqual({ rds: IDS.rdsSg, efs: IDS.efsSg });
  });

  it('a value from AWS cannot break out of its comment (newlines and control characters are escaped)', async () => {
    const data = healthy();
    data.securityGroups!.find((g) => g.id === IDS.esSg)!.name = 'es\nregion: eu-west-1\u0007';
    data.securityGroups!.push({ id: 'sg-es2', name: 'x', ingress: [], egress: [] });
    data.securityGroups!.find((g) => g.id === IDS.edgiSg)!.ingress.push(tcp(9200, { groups: ['sg-es2'] }));
    const text = renderConfig(await discover(new DiscoveryFixture(data), { cluster: 'acme', region: 'us-east-1' }), { schema: 's', header: 'h' });
    expect((parse(text) as { region: string }).region).toBe('us-east-1');
    expect(text).not.toMatch(/^region: eu-west-1/m);
    expect(text).not.toContain('\u0007');
    expect(text).toContain('sg-es (es\\nregion: eu-west-1\\x07)');
  });

  it('no recognisable Insight service: decisions for the Insight keys and the peers, nothing guessed', async () => {
    const data = healthy();
    data.services = data.services!.filter((s) => s.name !== 'oe-edgi-insights-service');
    const found = await discover(new DiscoveryFixture(data), { cluster: 'acme', region: 'us-east-1' });
    const paths = found.entries.filter(isDecision).map((e) => e.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['services.insight', 'taskDefinitions.insight', 'securityGroups']));
  });
});
