import type { Finding } from '../model.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { describeEntry, findEnv, tdName, type EnvEntry } from '../resolve/env.js';
import type { Check } from '../engine/check.js';

const sourceOf = (e: EnvEntry) => (e.source === 'secrets' ? 'a secrets reference' : e.secret ? 'a plaintext secret' : 'a plain value');

const check: Check = {
  id: 'ovaledge-ui-job-agree',
  title: 'UI and Job task definitions set every step-9 variable to the same value',
  step: 9,
  severity: 'high',
  remediation:
    'Update both the OvalEdge UI and Job task definitions with the same step-9 variables and values (runbook step 9: "Both UI and Job task definitions must be updated"), from the same source (environment or the same secrets reference), then deploy the latest revisions of both services.',
  codes: ['no-active-revision', 'set-on-one-side', 'different-secrets', 'different-secret-values', 'mismatch', 'not-comparable', 'nothing-to-compare'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const ui = await inv.taskDefinition(cfg.taskDefinitions.ui);
    const job = await inv.taskDefinition(cfg.taskDefinitions.job);
    const missing = [
      ...(ui ? [] : [{ role: 'OvalEdge UI', family: cfg.taskDefinitions.ui }]),
      ...(job ? [] : [{ role: 'OvalEdge Job', family: cfg.taskDefinitions.job }]),
    ];
    if (!ui || !job) {
      return missing.map((m) =>
        error(`${m.role} task definition family ${m.family} has no ACTIVE revision; the UI and Job variables cannot be compared.`, { code: 'no-active-revision', resource: m.family, expected: 'an ACTIVE revision', found: 'none' }),
      );
    }
    const u = tdName(ui);
    const j = tdName(job);
    const findings: Finding[] = [];
    const agreed: string[] = [];
    const onNeither: string[] = [];
    for (const name of cfg.expect.ovaledge.requiredEnv) {
      const a = findEnv(ui, name);
      const b = findEnv(job, name);
      const found = `${u}: ${describeEntry(a)}; ${j}: ${describeEntry(b)}`;
      if (!a && !b) {
        onNeither.push(name);
        continue;
      }
      if (!a || !b) {
        const [has, lacks] = a ? [u, j] : [j, u];
        findings.push(fail(`${name} is set on task definition ${has} but not on ${lacks}.`, { code: 'set-on-one-side', resource: a ? job.arn : ui.arn, expected: `${name} set the same on both`, found }));
        continue;
      }
      if (a.source === 'secrets' && b.source === 'secrets') {
        if (a.valueFrom === b.valueFrom) agreed.push(name);
        else findings.push(fail(`${name} comes from different secrets on task definitions ${u} and ${j}.`, { code: 'different-secrets', resource: job.arn, expected: 'the same secrets reference on both', found }));
        continue;
      }
      if (a.source === 'environment' && b.source === 'environment' && Boolean(a.secret) === Boolean(b.secret)) {
        if (a.secret && b.secret) {
          // Compared by fingerprint only: the values never enter the inventory.
          if (a.secret.fingerprint === b.secret.fingerprint) agreed.push(name);
          else findings.push(fail(`${name} has different secret values on task definitions ${u} and ${j} (values not shown).`, { code: 'different-secret-values', resource: job.arn, expected: 'the same value on both', found: 'different secret values' }));
        } else if (a.value === b.value) {
          agreed.push(name);
        } else {
          findings.push(fail(`${name} differs between task definitions ${u} (${a.value}) and ${j} (${b.value}).`, { code: 'mismatch', resource: job.arn, expected: `${name} the same on both`, found }));
        }
        continue;
      }
      findings.push(
        warn(`${name} is ${sourceOf(a)} on task definition ${u} but ${sourceOf(b)} on ${j}, so the two cannot be compared.`, {
          code: 'not-comparable',
          resource: job.arn,
          expected: `${name} from the same source on both`,
          found,
        }),
      );
    }
    if (findings.length > 0) return findings;
    const neither = onNeither.length > 0 ? `; set on neither (see ovaledge-edgi-env): ${onNeither.join(', ')}` : '';
    if (agreed.length === 0) {
      return [error(`Task definitions ${u} and ${j} set none of the step-9 variables; there is nothing to compare.`, { code: 'nothing-to-compare', resource: ui.arn, expected: cfg.expect.ovaledge.requiredEnv.join(', '), found: 'none set' })];
    }
    return [pass(`Task definitions ${u} and ${j} agree on ${agreed.length} step-9 variables${neither}.`, { resource: ui.arn })];
  },
};

export default check;
