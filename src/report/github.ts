// GitHub Actions: `::error`/`::warning` workflow commands, one per failing or warning check.
// They carry the check's id, step and title only — never a finding's text, which comes from AWS.
import type { CheckResult, Report } from '../model.js';

/** Message text of a workflow command (as @actions/core escapeData): %, \r, \n. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command (as @actions/core escapeProperty): also : and ,. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function marker(r: CheckResult): string {
  const marks = new Set(r.findings.filter((f) => f.status === r.status && f.baseline).map((f) => f.baseline));
  if (marks.size === 0) return '';
  return marks.has('new') ? ' (new since the baseline)' : ' (known from the baseline)';
}

/** One workflow command per check with status fail or error (::error) or warn (::warning). */
export function renderGithubAnnotations(report: Report): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const command = r.status === 'fail' || r.status === 'error' ? 'error' : r.status === 'warn' ? 'warning' : undefined;
    if (!command) continue;
    const title = `askedgi-doctor ${r.id} (step ${r.step}) ${r.status}`;
    lines.push(`::${command} title=${escapeProperty(title)}::${escapeData(`${r.id}: ${r.title}${marker(r)}`)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
