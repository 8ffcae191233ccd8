import type { Finding } from '../model.js';
import { looksLikePlaceholder } from '../inventory/redact.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import type { Check } from '../engine/check.js';
import { envEntry, tdName, type EnvEntry } from '../resolve/env.js';
import type { TaskDefinition } from '../inventory/types.js';

const VARIABLE = 'EDGI_AWS_ACCESS_ID';

/** The variable as the first container that carries it receives it. */
function accessIdEntry(td: TaskDefinition): EnvEntry | undefined {
  for (const c of td.containers) {
    const e = envEntry(c, VARIABLE);
    if (e) return e;
  }
  return undefined;
}

const check: Check = {
  id: 'edgi-access-key-owner',
  title: 'EDGI_AWS_ACCESS_ID on the UI and Job task definitions is an Active access key of the Edgi IAM user',
  step: 4,
  severity: 'critical',
  remediation:
    'Generate an access key for the Edgi IAM user (runbook step 4, e.g. edgi_user), set its id in EDGI_AWS_ACCESS_ID (and its secret in EDGI_AWS_SECRET_KEY) on both the OvalEdge UI and Job task definitions, register new revisions and redeploy both services. An Inactive key must be re-activated or replaced.',
  codes: ['user-not-found', 'family-not-found', 'variable-missing', 'unverifiable', 'not-a-key-id', 'foreign-key', 'key-inactive'],
  permissions: ['ecs:DescribeTaskDefinition', 'iam:GetUser', 'iam:ListAccessKeys'],
  async run(inv, cfg) {
    const userName = cfg.iam.user;
    const user = await inv.iamUser(userName);
    if (!user) {
      return [error(`IAM user ${userName} not found; cannot verify that ${VARIABLE} is one of its access keys.`, { code: 'user-not-found', resource: userName, expected: `an IAM user ${userName}`, found: 'none' })];
    }
    const keys = user.accessKeys.map((k) => `${k.id} (${k.status})`).join(', ') || 'no access keys';
    const findings: Finding[] = [];
    for (const family of [cfg.taskDefinitions.ui, cfg.taskDefinitions.job]) {
      const td = await inv.taskDefinition(family);
      if (!td) {
        findings.push(error(`Task definition family ${family} not found; cannot read ${VARIABLE}.`, { code: 'family-not-found', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      const where = `Task definition ${tdName(td)}`;
      const entry = accessIdEntry(td);
      if (!entry) {
        findings.push(fail(`${where} has no ${VARIABLE}.`, { code: 'variable-missing', resource: td.arn, expected: `${VARIABLE} = an Active access key id of IAM user ${user.name}`, found: 'not set' }));
        continue;
      }
      // A key id held in Secrets Manager is not read (values never enter the inventory), so it is
      // reported as unverified: a warn, not a pass, and not a fail for a setup that is otherwise sound.
      if (entry.source === 'secrets' || entry.secret) {
        const from = entry.source === 'secrets' ? `from secrets (${entry.valueFrom})` : 'as a redacted value';
        findings.push(
          warn(`${where} takes ${VARIABLE} ${from}; the key id cannot be verified offline against IAM user ${user.name}'s access keys.`, {
            code: 'unverifiable',
            resource: td.arn,
            expected: `${VARIABLE} readable as a plain value, one of: ${keys}`,
            found: 'held in a secret',
          }),
        );
        continue;
      }
      const id = entry.value.trim();
      if (id === '' || looksLikePlaceholder(id)) {
        const what = id === '' ? 'empty' : `still the runbook placeholder ${id}`;
        findings.push(fail(`${where} sets ${VARIABLE}, but it is ${what}.`, { code: 'not-a-key-id', resource: td.arn, expected: `an Active access key id of IAM user ${user.name}`, found: id === '' ? 'empty' : id }));
        continue;
      }
      const key = user.accessKeys.find((k) => k.id === id);
      if (!key) {
        findings.push(fail(`${where} sets ${VARIABLE}=${id}, which is not an access key of IAM user ${user.name}.`, { code: 'foreign-key', resource: td.arn, expected: `one of: ${keys}`, found: id }));
      } else if (key.status !== 'Active') {
        findings.push(fail(`${where} sets ${VARIABLE}=${id}, an access key of IAM user ${user.name} that is ${key.status}.`, { code: 'key-inactive', resource: td.arn, expected: `${id} Active`, found: `${id} ${key.status}` }));
      } else {
        findings.push(pass(`${where} sets ${VARIABLE}=${id}, an Active access key of IAM user ${user.name}.`, { resource: td.arn }));
      }
    }
    return findings;
  },
};

export default check;
