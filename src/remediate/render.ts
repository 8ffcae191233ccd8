// Plans and reports as terminal text. Values from AWS and the database are untrusted: sanitized.
import { sanitizeTerminal } from '../report/console.js';
import { inertText } from '../text/inert.js';
import { isSecretName, REDACTED } from '../inventory/redact.js';
import { revisionOf } from '../checks/support/ovaledge.js';
import type { Backup, Plan, PlanRow, RowSet } from './types.js';
import type { StepReport } from './run.js';

/** One value from the database or AWS on one line: newlines and controls escaped, long values cut (an approver reads this). */
const one = (v: string) => inertText(v, { newlines: 'escape', maxLength: 300 });
const value = (k: string, v: unknown) => (isSecretName(k) ? REDACTED : v === null ? 'NULL' : one(typeof v === 'object' ? JSON.stringify(v) : String(v)));
const rowText = (r: PlanRow) => Object.entries(r).map(([k, v]) => `${one(k)}=${value(k, v)}`).join(' ');

function rowsText(sets: RowSet[], verb: string): string[] {
  const out: string[] = [];
  for (const s of sets) {
    out.push(`  ${one(s.table)}: ${s.rows.length} row(s) ${verb}`);
    for (const r of s.rows) out.push(`    - ${rowText(r)}`);
  }
  return out;
}

function paramsText(p: Plan['params']): string {
  return [p.user !== undefined ? `--user ${one(p.user)}` : '', p.all ? '--all' : '', p.service ? `--service ${p.service}` : '', `--max-rows ${p.maxRows}`].filter(Boolean).join(' ');
}

export function renderPlan(plan: Plan, file?: string): string {
  const lines = [
    `Plan: ${plan.action} ${paramsText(plan.params)}`,
    ...(file ? [`  file:    ${file}`] : []),
    `  sha256:  ${plan.sha256}`,
    `  created: ${plan.createdAt} by ${plan.caller.arn} (account ${plan.caller.account})`,
    `  target:  region ${plan.target.region}, cluster ${plan.target.cluster}${plan.target.endpoint ? `, endpoint ${plan.target.endpoint}` : ''}`,
  ];
  if (plan.action === 'reset-workspace') {
    lines.push(...rowsText(plan.rows, 'to delete'));
    lines.push(`  Cloud Map: ${plan.instances.length} instance(s) to deregister`);
    for (const i of plan.instances) {
      lines.push(`    - ${one(i.id)} in ${one(i.service.name)}.${one(i.namespace.name)} (matched by ${one(i.matchedBy)}): ${Object.entries(i.attributes).map(([k, v]) => `${one(k)}=${one(v)}`).join(' ')}`);
    }
  }
  for (const u of plan.serviceUpdates) lines.push(`  ECS service ${u.service} (cluster ${u.cluster}): ${revisionOf(u.from)} -> ${revisionOf(u.to)} (latest ACTIVE of ${u.family}), force new deployment`);
  for (const n of plan.notes) lines.push(`  note: ${one(n)}`);
  return sanitizeTerminal(`${lines.join('\n')}\n`);
}

export function renderBackup(b: Backup, file: string): string {
  const lines = [
    `Backup of plan ${b.planSha256} (${b.action})`,
    `  file:    ${file}`,
    `  taken:   ${b.createdAt}; target region ${b.target.region}, cluster ${b.target.cluster}${b.target.endpoint ? `, endpoint ${b.target.endpoint}` : ''}`,
    ...rowsText(b.rows, 'to re-insert'),
  ];
  if (b.instances.length > 0) lines.push(`  Cloud Map: ${b.instances.length} instance(s) to register again: ${b.instances.map((i) => one(i.id)).join(', ')}`);
  for (const u of b.serviceUpdates) lines.push(`  ECS service ${u.service}: back to ${revisionOf(u.from)} (from ${revisionOf(u.to)})`);
  return sanitizeTerminal(`${lines.join('\n')}\n`);
}

export function renderReport(r: StepReport): string {
  const lines: string[] = [];
  if (r.refusal) lines.push(r.refusal, ...(r.details ?? []).map((d) => `  - ${d}`));
  if (r.done.length > 0) lines.push('Done:', ...r.done.map((d) => `  - ${d}`));
  if (r.notDone.length > 0) lines.push('NOT done:', ...r.notDone.map((d) => `  - ${d}`));
  if (r.backupFile) lines.push(`Backup: ${r.backupFile}`);
  return sanitizeTerminal(`${lines.join('\n')}\n`);
}
