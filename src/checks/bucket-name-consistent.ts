import { looksLikePlaceholder } from '../inventory/redact.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { envEntry, findEnv, tdName } from '../resolve/env.js';
import type { Check } from '../engine/check.js';
import { needDataAndInsight, roleMain } from '../resolve/deployment.js';

/** A value as the service reads it: quoted when white space around it would otherwise not show. */
const show = (v: string) => (v.trim() === v ? v : JSON.stringify(v));

interface Place {
  role: string;
  family: string;
  /** The Edgi role whose application container holds the variable; UI and Job: whichever container carries it. */
  main?: 'data' | 'insight';
  variable: 'BUCKET_NAME' | 'EDGI_BUCKET_NAME';
}

interface Read {
  place: Place;
  /** "Task definition family:revision", how the finding starts. */
  where: string;
  /** "VARIABLE on family:revision", how other findings refer to it. */
  label: string;
  arn: string;
  /** undefined when the variable is not set (or empty). */
  value?: string;
}

const check: Check = {
  id: 'bucket-name-consistent',
  title: 'BUCKET_NAME (Data, Insight) and EDGI_BUCKET_NAME (UI, Job) name the same bucket',
  step: 3,
  severity: 'high',
  remediation:
    'Set the Edgi S3 bucket name of runbook step 3 in BUCKET_NAME on the Data and Insight task definitions and in EDGI_BUCKET_NAME on the OvalEdge UI and Job task definitions (steps 6, 7 and 9), register new revisions and redeploy the services.',
  codes: ['family-not-found', 'value-from-secret', 'variable-missing', 'mismatch', 'no-agreement'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    await needDataAndInsight(inv, cfg);
    const places: Place[] = [
      { role: 'Data', family: cfg.taskDefinitions.data, main: 'data', variable: 'BUCKET_NAME' },
      { role: 'Insight', family: cfg.taskDefinitions.insight, main: 'insight', variable: 'BUCKET_NAME' },
      { role: 'UI', family: cfg.taskDefinitions.ui, variable: 'EDGI_BUCKET_NAME' },
      { role: 'Job', family: cfg.taskDefinitions.job, variable: 'EDGI_BUCKET_NAME' },
    ];
    // One slot per place, in place order: an error, or the value read (undefined when not set).
    const slots: (Read | { error: Finding })[] = [];
    for (const place of places) {
      const td = await inv.taskDefinition(place.family);
      if (!td) {
        slots.push({ error: error(`${place.role} task definition family ${place.family} not found; cannot read ${place.variable}.`, { code: 'family-not-found', resource: place.family, expected: 'an ACTIVE revision', found: 'none' }) });
        continue;
      }
      const where = `Task definition ${tdName(td)}`;
      const entry = place.main ? envEntry(roleMain(td, cfg, place.main), place.variable) : findEnv(td, place.variable);
      if (entry?.source === 'secrets') {
        slots.push({ error: error(`${where} takes ${place.variable} from ${entry.valueFrom}; its value cannot be compared.`, { code: 'value-from-secret', resource: td.arn, expected: `${place.variable} as a plain environment value`, found: `secrets reference ${entry.valueFrom}` }) });
        continue;
      }
      slots.push({ place, where, label: `${place.variable} on ${tdName(td)}`, arn: td.arn, value: entry?.value.trim() ? entry.value : undefined });
    }
    const read = slots.filter((s): s is Read => !('error' in s));

    // The bucket most places agree on; a tie goes to the earlier place (Data first).
    const counts = new Map<string, number>();
    for (const r of read) if (r.value) counts.set(r.value, (counts.get(r.value) ?? 0) + 1);
    let reference: string | undefined;
    for (const r of read) if (r.value && (!reference || counts.get(r.value)! > counts.get(reference)!)) reference = r.value;
    const agreeing = read.filter((r) => r.value === reference);

    const findings: Finding[] = [];
    for (const r of slots) {
      if ('error' in r) {
        findings.push(r.error);
        continue;
      }
      const { variable } = r.place;
      if (!r.value) {
        findings.push(fail(`${r.where} has no ${variable}, so the ${r.place.role} side names no bucket.`, { code: 'variable-missing', resource: r.arn, expected: reference ? `${variable}=${reference}` : `${variable}=<the Edgi S3 bucket>`, found: 'not set' }));
      } else if (r.value !== reference) {
        const why = looksLikePlaceholder(r.value) ? ' (still the runbook placeholder)' : '';
        findings.push(fail(`${r.where} sets ${variable}=${show(r.value)}${why}, not ${reference} as ${agreeing.map((a) => a.label).join(', ')}.`, { code: 'mismatch', resource: r.arn, expected: reference, found: show(r.value) }));
      } else if (agreeing.length === 1 && read.length > 1) {
        findings.push(fail(`${r.where} sets ${variable}=${r.value}, and no other task definition names the same bucket.`, { code: 'no-agreement', resource: r.arn, expected: 'the same bucket on Data, Insight, UI and Job', found: r.value }));
      } else {
        const others = agreeing.filter((a) => a !== r).map((a) => a.label);
        findings.push(pass(`${r.where} sets ${variable}=${r.value}, ${others.length > 0 ? `the same bucket as ${others.join(', ')}` : 'the only bucket name that could be read'}.`, { resource: r.arn }));
      }
    }
    return findings;
  },
};

export default check;
