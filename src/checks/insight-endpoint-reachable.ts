// Step 10: the OvalEdge UI reaches the Insight service at EDGI_INSIGHT_SERVICE_HOST (the Service
// Discovery Endpoint <service>.<namespace>, port 8000), and each task Cloud Map registered for it
// answers. Both live in private DNS and private subnets: they are reachable only from inside the VPC.
//
// So the probe runs when the doctor says it is inside the VPC (--in-vpc), or when the name resolves
// anyway (a VPN or a bastion with the VPC's resolver). Outside the VPC the check is one `skip` with
// that reason — a laptop that cannot route to 10.x addresses is not a failing deployment. When the
// probe runs only because the name happened to resolve, an unreachable target is a `warn` (the route
// from here may be what is missing); with --in-vpc it is a `fail`.
import { defaultRunContext, type Check } from '../engine/check.js';
import { error, fail, pass, skip, warn } from '../engine/finding.js';
import type { Config } from '../config/schema.js';
import type { Inventory } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { httpGet, hostPort, resolveHost, tcpConnect, type ProbeSettings } from '../probes/http.js';
import { insightEndpoint } from './support/ovaledge.js';
import { need } from '../resolve/core.js';
import { latestActive } from '../resolve/deployment.js';
import { envValue, tdName } from '../resolve/env.js';
import { INSIGHT_DISCOVERY } from './insight-service-discovery.js';

interface Target {
  /** "The Insight endpoint" / "Cloud Map instance <id> of <service>". */
  label: string;
  host: string;
  port: number;
  /** Where the address came from, said after it. */
  note?: string;
}

/** A host name or IP address, optionally written as a URL or with a port ("http://x:8000"). */
function parseHost(value: string, defaultPort: number): { host: string; port: number } | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`);
    if (!u.hostname || (u.pathname !== '/' && u.pathname !== '')) return undefined;
    return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port ? Number(u.port) : defaultPort };
  } catch {
    return undefined;
  }
}

/** The host the OvalEdge UI calls: EDGI_INSIGHT_SERVICE_HOST, else the step-8 Service Discovery Endpoint. */
async function endpointHost(inv: Inventory, cfg: Config): Promise<{ host: string; port: number; source: string } | Finding> {
  const port = cfg.http.insightPort;
  const ui = await latestActive(inv, cfg.taskDefinitions.ui);
  const raw = ui ? envValue(ui, 'EDGI_INSIGHT_SERVICE_HOST') : undefined;
  const parsed = raw !== undefined ? parseHost(raw, port) : undefined;
  if (ui && parsed) return { ...parsed, source: `EDGI_INSIGHT_SERVICE_HOST on ${tdName(ui)}` };
  const ep = await insightEndpoint(inv, cfg);
  if (ep.ok) return { host: ep.endpoint, port, source: 'the Service Discovery Endpoint of step 8' };
  return error(`Cannot tell which Insight endpoint to probe: EDGI_INSIGHT_SERVICE_HOST is not usable on the UI task definition and ${ep.message}.`, {
    code: 'endpoint-unknown',
    resource: ep.resource,
    expected: 'EDGI_INSIGHT_SERVICE_HOST or a Service Discovery Endpoint',
    found: raw === undefined ? 'not set' : `"${raw}"`,
  });
}

/** Addresses of the Insight tasks registered in Cloud Map, read from the service's registry. */
async function instanceTargets(inv: Inventory, cfg: Config): Promise<{ targets: Target[]; findings: Finding[] }> {
  const service = await inv.service(cfg.cluster, cfg.services.insight);
  const registry = service?.serviceRegistries[0];
  if (!service || !registry) return { targets: [], findings: [] };
  const cm = await inv.cloudMapService(registry.registryArn);
  if (!cm) return { targets: [], findings: [] };
  const instances = await inv.cloudMapInstances(cm.id);
  const findings: Finding[] = [];
  if (instances.length === 0) {
    findings.push(fail(`Cloud Map service ${cm.name} (${cm.id}) has no registered instances: ${cm.name} resolves to no address.`, { code: 'no-instances', resource: cm.arn || cm.id, expected: 'one instance per running Insight task', found: 'none' }));
  }
  const targets: Target[] = [];
  for (const i of instances) {
    const ip = i.attributes.AWS_INSTANCE_IPV4 ?? i.attributes.AWS_INSTANCE_IPV6;
    const port = Number(i.attributes.AWS_INSTANCE_PORT ?? cfg.http.insightPort);
    if (!ip) {
      findings.push(warn(`Cloud Map instance ${i.id} of ${cm.name} has no AWS_INSTANCE_IPV4 attribute; it cannot be probed.`, { code: 'instance-no-address', resource: i.id, expected: 'AWS_INSTANCE_IPV4', found: Object.keys(i.attributes).join(', ') || 'no attributes' }));
      continue;
    }
    targets.push({ label: `Cloud Map instance ${i.id} of ${cm.name}`, host: ip, port: Number.isInteger(port) && port > 0 ? port : cfg.http.insightPort });
  }
  return { targets, findings };
}

/** TCP connect, then GET /: any HTTP answer means the service listens and speaks HTTP. */
async function probe(t: Target, settings: ProbeSettings, inVpc: boolean): Promise<Finding> {
  const where = hostPort(t.host, t.port);
  const named = `${t.label} ${where}${t.note ? ` (${t.note})` : ''}`;
  const unreachable = (why: string, found: string) =>
    (inVpc ? fail : warn)(
      `${named} is not reachable: ${why}.${inVpc ? '' : ' (Probed without --in-vpc because the name resolves here; the route from this host may be what is missing.)'}`,
      { code: 'not-reachable', resource: where, expected: 'an HTTP answer on GET /', found },
    );
  const tcp = await tcpConnect(t.host, t.port, settings);
  if (!tcp.ok) return unreachable(`TCP connect failed, ${tcp.error.message} (${tcp.attempts} attempt${tcp.attempts === 1 ? '' : 's'})`, tcp.error.timedOut ? 'timeout' : tcp.error.code);
  const r = await httpGet(`http://${where}/`, settings, { retryServerErrors: false });
  if (!r.ok) {
    return unreachable(`it accepts TCP connections (${tcp.ms} ms) but GET / got no answer: ${r.failure.error.message}`, r.failure.error.timedOut ? 'timeout' : r.failure.error.code);
  }
  return pass(`${named} answers HTTP ${r.answer.status} to GET / in ${r.answer.ms} ms (TCP connect ${tcp.ms} ms).`, { resource: where });
}

const check: Check = {
  id: 'insight-endpoint-reachable',
  title: 'From inside the VPC the Insight endpoint (EDGI_INSIGHT_SERVICE_HOST, port 8000) and every Insight task registered in Cloud Map answer HTTP',
  step: 10,
  severity: 'high',
  remediation:
    'Run with --in-vpc from a host inside the VPC (a bastion or an ECS task) to probe. A name that does not resolve there means the Cloud Map namespace is not associated with the VPC or the service has no healthy instances (runbook step 8). A refused or timed-out connection means the Insight task is not listening on port 8000 or the Edgi security group does not allow TCP 8000 from the VPC CIDR (runbook step 1); a task registered in Cloud Map that does not answer is stopped or unhealthy (check the Insight service events and logs).',
  codes: ['endpoint-unknown', 'no-instances', 'instance-no-address', 'not-reachable', 'in-vpc-only', 'dns-failed'],
  permissions: ['ecs:DescribeTaskDefinition', 'ecs:DescribeServices', 'servicediscovery:GetService', 'servicediscovery:ListNamespaces', 'servicediscovery:ListInstances'],
  async run(inv, cfg, ctx = defaultRunContext()) {
    await need(inv, cfg, INSIGHT_DISCOVERY);
    const settings: ProbeSettings = { timeoutMs: cfg.http.timeoutMs, retries: cfg.http.retries };
    const endpoint = await endpointHost(inv, cfg);
    if (!('host' in endpoint)) return [endpoint];
    const inVpc = ctx.inVpc === true;
    const dns = await resolveHost(endpoint.host, settings.timeoutMs);
    if (!inVpc && dns.error) {
      return [skip(`The Insight endpoint ${endpoint.host} is reachable only inside the VPC (private DNS); run with --in-vpc from a host in the VPC to probe it.`, { code: 'in-vpc-only', resource: endpoint.host })];
    }
    const findings: Finding[] = [];
    const targets: Target[] = [];
    if (dns.error) {
      findings.push(
        fail(`The Insight endpoint ${endpoint.host} (${endpoint.source}) does not resolve in DNS from inside the VPC: ${dns.error.message}.`, {
          code: 'dns-failed',
          resource: endpoint.host,
          expected: 'the Cloud Map namespace resolves in the VPC',
          found: dns.error.code,
        }),
      );
    } else {
      const resolved = dns.literal ? '' : `, resolves to ${dns.addresses.join(', ')}`;
      targets.push({ label: 'The Insight endpoint', host: endpoint.host, port: endpoint.port, note: `${endpoint.source}${resolved}` });
    }
    const instances = await instanceTargets(inv, cfg);
    targets.push(...instances.targets);
    findings.push(...instances.findings);
    findings.push(...(await Promise.all(targets.map((t) => probe(t, settings, inVpc)))));
    return findings;
  },
};

export default check;
