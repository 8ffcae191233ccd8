import type { Finding } from '../model.js';
import { error, pass, warn } from '../engine/finding.js';
import type { Check } from '../engine/check.js';
import { needDataAndInsight } from '../resolve/deployment.js';
import { tdName } from '../resolve/env.js';

const check: Check = {
  id: 'plaintext-secrets',
  title: 'No secret sits in a plaintext environment variable of the Data, Insight, UI or Job task definitions',
  step: 4,
  severity: 'medium',
  remediation:
    'Move every key, secret, password or token (such as EDGI_AWS_SECRET_KEY and BRIDGE_AWS_USER_SECRET_KEY of runbook steps 4 and 9) out of the task definition\'s plaintext environment: reference it with secrets.valueFrom (Secrets Manager), or let the task role grant the access instead of a static key. Plaintext environment values are readable by anyone allowed ecs:DescribeTaskDefinition.',
  codes: ['family-not-found', 'plaintext-secret'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    await needDataAndInsight(inv, cfg);
    const families = [
      { family: cfg.taskDefinitions.data, role: 'Data' },
      { family: cfg.taskDefinitions.insight, role: 'Insight' },
      { family: cfg.taskDefinitions.ui, role: 'UI' },
      { family: cfg.taskDefinitions.job, role: 'Job' },
    ];
    const findings: Finding[] = [];
    for (const { family, role } of families) {
      const td = await inv.taskDefinition(family);
      if (!td) {
        findings.push(error(`${role} task definition family ${family} not found; cannot inspect its environment.`, { code: 'family-not-found', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
        continue;
      }
      const where = `Task definition ${tdName(td)}`;
      let plaintext = 0;
      for (const c of td.containers) {
        // Secret by name (whole words: EDGI_AWS_SECRET_KEY, not TOKEN_TTL) or by value (a credentialed
        // URL or a token in any variable), as classified where the environment entered the inventory.
        for (const e of c.environment.filter((x) => x.secret)) {
          plaintext += 1;
          // Only the name and facts about the value are used; the value itself was redacted on entry.
          const looksLikeKey = e.secret?.longTermKeyId ? ' (its value looks like a long-term access key id)' : '';
          const byValue = e.secret?.detectedBy === 'value' ? ' (its value looks like a credential: a password in a URL or a token)' : '';
          findings.push(
            warn(`${where} holds ${e.name} in plaintext environment of container ${c.name}${looksLikeKey}${byValue}; use secrets.valueFrom (Secrets Manager) or the task role instead.`, {
              code: 'plaintext-secret',
              resource: td.arn,
              expected: `${e.name} from secrets (valueFrom)`,
              found: `${e.name} in plaintext environment`,
            }),
          );
        }
      }
      if (plaintext === 0) {
        const fromSecrets = td.containers.flatMap((c) => c.secrets.map((s) => s.name));
        const note = fromSecrets.length > 0 ? ` (${fromSecrets.length} variable(s) come from secrets)` : '';
        findings.push(pass(`${where} holds no secret-looking variable in plaintext environment${note}.`, { resource: td.arn }));
      }
    }
    return findings;
  },
};

export default check;
