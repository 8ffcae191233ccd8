import { looksLikePlaceholder } from '../inventory/redact.js';
import { InventoryError } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { insightEndpoint, type Endpoint } from './support/ovaledge.js';
import { need } from '../resolve/core.js';
import { DATA_TASK_DEFINITION, INSIGHT_TASK_DEFINITION, latestActive } from '../resolve/deployment.js';
import { describeEntry, envValue, findEnv, tdName, unusable } from '../resolve/env.js';
import type { Check } from '../engine/check.js';

/** A variable whose value must equal something read elsewhere in the deployment. */
interface Reference {
  name: string;
  /** undefined: the value to compare with could not be read (`why` says why). */
  value?: string;
  from: string;
  why?: string;
}

/** A DNS name as compared: case-insensitive, without the trailing dot of a fully qualified name. */
const dnsName = (host: string) => host.toLowerCase().replace(/\.$/, '');

/**
 * EDGI_INSIGHT_SERVICE_HOST against the Service Discovery Endpoint: the same DNS name (any case, a
 * trailing dot allowed), optionally with ":<port>", which must be the Insight port OvalEdge calls.
 */
function compareInsightHost(value: string, endpoint: string, port: number): { agrees: true } | { agrees: false; port?: string } {
  const m = /^(.*):(\d+)$/.exec(value);
  const host = m ? m[1]! : value;
  if (dnsName(host) !== dnsName(endpoint)) return { agrees: false };
  if (m && Number(m[2]) !== port) return { agrees: false, port: m[2] };
  return { agrees: true };
}

const check: Check = {
  id: 'ovaledge-edgi-env',
  title: 'UI and Job task definitions carry every EDGI_* variable of step 9, with values that agree with Insight, Data and the region',
  step: 9,
  severity: 'critical',
  remediation:
    'Update both the OvalEdge UI and Job task definitions (runbook step 9) with every EDGI_* and BRIDGE_* variable: EDGI_INSIGHT_SERVICE_HOST = the Insight Service Discovery Endpoint of step 8, EDGI_WORKSPACE_HOST = the Edgi Data task definition family name, EDGI_WORKSPACE_NAMESPACE = the namespace of EDGI_WORKSPACE_NAME_SPACE, EDGI_CLIENT_PREFIX = SQS_QUEUE_PREFIX, EDGI_AI_FUNCTION_QUEUE = AI_FUNCTION_QUEUE_NAME, EDGI_BUCKET_NAME = the S3 bucket, EDGI_AWS_REGION = the region; then deploy the latest revisions.',
  codes: ['unverifiable', 'no-active-revision', 'variable-missing', 'variable-unusable', 'value-from-secret', 'mismatch', 'wrong-port'],
  permissions: ['ecs:DescribeTaskDefinition', 'ecs:DescribeServices', 'servicediscovery:GetService', 'servicediscovery:ListNamespaces'],
  async run(inv, cfg) {
    const findings: Finding[] = [];
    const data = await need(inv, cfg, DATA_TASK_DEFINITION);
    const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    let ep: Endpoint;
    try {
      ep = await insightEndpoint(inv, cfg);
    } catch (err) {
      // A denied Cloud Map or ECS read costs only this comparison; the other variables are still verified.
      if (!(err instanceof InventoryError)) throw err;
      ep = { ok: false, why: 'no-service', message: err.message.replace(/\.$/, ''), resource: err.resource, expected: `permission ${err.action}`, found: 'access denied' };
    }
    const fromInsight = (variable: string): Pick<Reference, 'value' | 'from' | 'why'> => {
      const value = envValue(insight, variable);
      return { value, from: `${variable} on ${tdName(insight)}`, why: value === undefined ? `task definition ${tdName(insight)} has no ${variable}` : undefined };
    };
    const bucket = envValue(data, 'BUCKET_NAME');
    const refs: Reference[] = [
      ep.ok
        ? { name: 'EDGI_INSIGHT_SERVICE_HOST', value: ep.endpoint, from: `the Service Discovery Endpoint of ECS service ${ep.service.name}` }
        : { name: 'EDGI_INSIGHT_SERVICE_HOST', from: 'the Insight Service Discovery Endpoint', why: `cannot compute the endpoint because ${ep.message}` },
      { name: 'EDGI_WORKSPACE_HOST', value: cfg.taskDefinitions.data, from: 'the Edgi Data task definition family' },
      { name: 'EDGI_WORKSPACE_NAMESPACE', ...fromInsight('EDGI_WORKSPACE_NAME_SPACE') },
      { name: 'EDGI_CLIENT_PREFIX', ...fromInsight('SQS_QUEUE_PREFIX') },
      { name: 'EDGI_AI_FUNCTION_QUEUE', ...fromInsight('AI_FUNCTION_QUEUE_NAME') },
      { name: 'EDGI_BUCKET_NAME', value: bucket, from: `BUCKET_NAME on ${tdName(data)}`, why: bucket === undefined ? `task definition ${tdName(data)} has no BUCKET_NAME` : undefined },
      { name: 'EDGI_AWS_REGION', value: cfg.region, from: 'the deployment region' },
    ];
    for (const r of refs.filter((x) => x.value === undefined)) {
      findings.push(
        error(`Cannot verify ${r.name} on the UI and Job task definitions: ${r.why ?? 'the value to compare with is unknown'}.`, {
          code: 'unverifiable',
          resource: ep.ok || r.name !== 'EDGI_INSIGHT_SERVICE_HOST' ? r.name : ep.resource,
          expected: `${r.name} = ${r.from}`,
          found: r.name === 'EDGI_INSIGHT_SERVICE_HOST' && !ep.ok ? ep.found : 'unknown',
        }),
      );
    }

    const fixed = cfg.expect.ovaledge.env;
    const names = [...new Set([...cfg.expect.ovaledge.requiredEnv, ...Object.keys(fixed), ...refs.map((r) => r.name)])].sort();
    for (const [role, family] of [['OvalEdge UI', cfg.taskDefinitions.ui], ['OvalEdge Job', cfg.taskDefinitions.job]] as const) {
      const td = await latestActive(inv, family);
      if (!td) {
        findings.push(fail(`${role} task definition family ${family} has no ACTIVE revision.`, { code: 'no-active-revision', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      const where = tdName(td);
      const problems: Finding[] = [];
      for (const name of names) {
        const e = findEnv(td, name);
        const ref = refs.find((r) => r.name === name);
        const want = fixed[name] ?? ref?.value;
        const expected = want !== undefined ? `${name}=${want}` : `${name} set (environment or secrets)`;
        if (!e) {
          problems.push(fail(`Task definition ${where} has no ${name}.`, { code: 'variable-missing', resource: td.arn, expected, found: 'not set' }));
          continue;
        }
        const bad = unusable(e, looksLikePlaceholder);
        if (bad) {
          problems.push(fail(`Task definition ${where} sets ${name} ${bad}.`, { code: 'variable-unusable', resource: td.arn, expected, found: describeEntry(e) }));
          continue;
        }
        if (want === undefined) continue;
        if (e.source === 'secrets' || e.secret) {
          problems.push(warn(`Task definition ${where} sets ${name} from a secret, so it cannot be compared with ${fixed[name] !== undefined ? 'the runbook value' : ref!.from}.`, { code: 'value-from-secret', resource: td.arn, expected, found: describeEntry(e) }));
          continue;
        }
        if (e.value === want) continue;
        if (name === 'EDGI_INSIGHT_SERVICE_HOST' && fixed[name] === undefined) {
          const insightPort = cfg.http.insightPort;
          const c = compareInsightHost(e.value, want, insightPort);
          if (c.agrees) continue;
          if (c.port !== undefined) {
            problems.push(
              fail(`Task definition ${where} sets ${name}=${e.value}: the host matches ${ref!.from} (${want}), but port ${c.port} is not the Insight port ${insightPort} (http.insightPort).`, {
                code: 'wrong-port',
                resource: td.arn,
                expected: `${want} or ${want}:${insightPort}`,
                found: e.value,
              }),
            );
            continue;
          }
        }
        const why = fixed[name] !== undefined ? `the runbook value ${want}` : `${ref!.from} (${want})`;
        problems.push(fail(`Task definition ${where} sets ${name}=${e.value}, which does not match ${why}.`, { code: 'mismatch', resource: td.arn, expected: want, found: e.value }));
      }
      if (problems.length > 0) {
        findings.push(...problems);
        continue;
      }
      const unchecked = refs.filter((r) => r.value === undefined).map((r) => r.name);
      const note = unchecked.length > 0 ? `; not compared: ${unchecked.join(', ')}` : '';
      findings.push(pass(`Task definition ${where} carries all ${names.length} step-9 variables with the runbook's fixed values and values that agree with Insight, Data and the region${note}.`, { resource: td.arn }));
    }
    return findings;
  },
};

export default check;
