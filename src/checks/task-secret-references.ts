import type { Config } from '../config/schema.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import type { Inventory, TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { needDataAndInsight } from '../resolve/deployment.js';
import { tdName } from '../resolve/env.js';
import { parseValueFrom } from '../resolve/value-from.js';
import { scheduledForDeletion } from './support/task-shape.js';
import type { Check } from '../engine/check.js';

// ECS resolves every `secrets[].valueFrom` when a task starts, exactly as written (see
// src/resolve/value-from.ts); one that names nothing stops the task. Only names, metadata
// (DescribeSecret, DescribeParameters) and a secret's key names are read, never a value.

export const SECRET_REFERENCE_CODES = ['secret-missing', 'secret-scheduled-for-deletion', 'json-key-missing', 'not-json', 'parameter-missing', 'other-region', 'unrecognised-reference', 'family-missing'];

async function verify(inv: Inventory, cfg: Config, td: TaskDefinition, container: string, name: string, valueFrom: string): Promise<Finding | undefined> {
  const where = `${name} of container ${container} in ${tdName(td)}`;
  const ref = parseValueFrom(valueFrom);
  const base = { resource: td.arn, found: valueFrom };
  if (ref.kind === 'unknown') {
    return warn(`${where} takes its value from ${valueFrom}, neither a Secrets Manager secret ARN nor an SSM parameter; the doctor cannot verify it.`, { ...base, expected: 'a Secrets Manager secret ARN or an SSM parameter', code: 'unrecognised-reference' });
  }
  if (ref.region && cfg.region && ref.region !== cfg.region) {
    return warn(`${where} takes its value from ${valueFrom} in region ${ref.region}, not the deployment's region ${cfg.region}; the doctor reads ${cfg.region} only and cannot verify it.`, { ...base, expected: `a reference in ${cfg.region}`, code: 'other-region' });
  }
  if (ref.kind === 'ssm') {
    for (const n of ref.names) if (await inv.ssmParameter(n)) return undefined;
    return fail(`${where} takes its value from SSM parameter ${ref.names[0]}, which does not exist; ECS cannot start the task.`, { ...base, resource: valueFrom, expected: `SSM parameter ${ref.names[0]}`, code: 'parameter-missing' });
  }
  const meta = await inv.secretMetadata(ref.secretArn);
  if (!meta) {
    return fail(`${where} takes its value from secret ${ref.secretArn}, which does not exist in Secrets Manager; ECS cannot start the task.`, { ...base, resource: ref.secretArn, expected: `secret ${ref.secretArn}`, code: 'secret-missing' });
  }
  if (meta.deletedDate) return scheduledForDeletion(meta, `(${where})`);
  if (ref.jsonKey) {
    const shape = await inv.secret(ref.secretArn);
    if (!shape?.keys) {
      return fail(`${where} takes JSON key ${ref.jsonKey} of secret ${meta.name} (${meta.arn}), whose value is not a JSON object; ECS cannot start the task.`, { ...base, resource: meta.arn, expected: `a JSON secret with key ${ref.jsonKey}`, found: 'not a JSON object', code: 'not-json' });
    }
    if (!shape.keys.includes(ref.jsonKey)) {
      return fail(`${where} takes JSON key ${ref.jsonKey} of secret ${meta.name} (${meta.arn}), which has no such key; ECS cannot start the task.`, { ...base, resource: meta.arn, expected: `key ${ref.jsonKey}`, found: shape.keys.length ? `keys ${shape.keys.join(', ')}` : 'no keys', code: 'json-key-missing' });
    }
  }
  return undefined;
}

const check: Check = {
  id: 'task-secret-references',
  title: 'Every secrets[].valueFrom of the Data, Insight, UI and Job task definitions names a secret or SSM parameter that exists',
  step: 9,
  severity: 'critical',
  remediation:
    'Correct each secrets[].valueFrom named in the finding to the full ARN of an existing Secrets Manager secret (with :<json-key>:: for one key of a JSON secret) or an existing SSM parameter (its ARN, or its name in the deployment region); restore a secret scheduled for deletion; register a new revision and redeploy the service.',
  permissions: ['ecs:DescribeTaskDefinition', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'ssm:DescribeParameters'],
  codes: SECRET_REFERENCE_CODES,
  async run(inv, cfg) {
    const { data, insight } = await needDataAndInsight(inv, cfg);
    const findings: Finding[] = [];
    const tds: { label: string; td: TaskDefinition | undefined; family: string }[] = [
      { label: 'Data', td: data, family: data.family },
      { label: 'Insight', td: insight, family: insight.family },
      { label: 'UI', td: await inv.taskDefinition(cfg.taskDefinitions.ui), family: cfg.taskDefinitions.ui },
      { label: 'Job', td: await inv.taskDefinition(cfg.taskDefinitions.job), family: cfg.taskDefinitions.job },
    ];
    for (const { label, td, family } of tds) {
      if (!td) {
        findings.push(error(`${label} task definition family ${family} not found; its secrets references cannot be read.`, { resource: family, expected: 'an ACTIVE revision', found: 'none', code: 'family-missing' }));
        continue;
      }
      const refs = td.containers.flatMap((c) => c.secrets.map((s) => ({ container: c.name, ...s })));
      const bad: Finding[] = [];
      for (const r of refs) {
        const f = await verify(inv, cfg, td, r.container, r.name, r.valueFrom);
        if (f) bad.push(f);
      }
      findings.push(...bad);
      if (bad.length === 0) {
        findings.push(pass(refs.length === 0 ? `${label} task definition ${tdName(td)} takes no variables from secrets.` : `${label} task definition ${tdName(td)}: ${refs.length} secrets reference${refs.length > 1 ? 's' : ''} (${refs.map((r) => r.name).join(', ')}) each name${refs.length > 1 ? '' : 's'} an existing secret or parameter.`, { resource: td.arn }));
      }
    }
    return findings;
  },
};

export default check;

