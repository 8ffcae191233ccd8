// The fleet reports, rendered from the fleet summary and the targets' own JSON reports (so `fleet run`
// and `fleet merge` write the same files): JSON summary, JUnit, Markdown table, HTML overview.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FailOn } from '../commands/options.js';
import { STATUSES, type Report } from '../model.js';
import { formatDuration } from '../report/console.js';
import { escapeHtml, href, HTML_CSP } from '../report/html.js';
import { renderFleetJunit } from '../report/junit.js';
import { mdCode, mdText } from '../report/markdown.js';
import { STEP_NAMES, stepName } from '../report/steps.js';
import { REPORT_FILES } from '../report/write.js';
import { FLEET_FILES, targetFails, type FleetSummary, type TargetOutcome } from './model.js';

export function renderFleetJson(summary: FleetSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** A target's JSON report below the fleet folder; undefined when it has none (not checked, or not there). */
export function readTargetReport(outDir: string, t: TargetOutcome): Report | undefined {
  if (t.reportDir === undefined) return undefined;
  const file = join(outDir, t.reportDir, REPORT_FILES.json);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : undefined;
}

export function renderFleetJunitFile(summary: FleetSummary, outDir: string, host = hostname()): string {
  return renderFleetJunit(
    summary.targets.map((t) => {
      const report = readTargetReport(outDir, t);
      return {
        name: t.name,
        accountId: t.accountId,
        region: t.region,
        roleArn: t.roleArn,
        startedAt: summary.startedAt,
        durationMs: t.durationMs,
        ...(report ? { report } : { reason: t.reason ?? `the report of ${t.name} is missing from ${outDir}` }),
      };
    }),
    { hostname: host },
  );
}


/** One word for a target: what its worst result was, or why it has none. */
export function targetVerdict(t: TargetOutcome, failOn: FailOn): string {
  if (t.state === 'assume-failed') return 'cannot assume role';
  if (t.state === 'error') return 'error';
  return targetFails(t, failOn) ? 'failing' : 'healthy';
}

export function renderFleetMarkdown(summary: FleetSummary): string {
  const failing = summary.targets.filter((t) => targetFails(t, summary.failOn));
  const lines = [
    '# askedgi-doctor fleet',
    '',
    `${summary.targets.length} target${summary.targets.length === 1 ? '' : 's'}, ${failing.length} failing (--fail-on ${summary.failOn}), ${formatDuration(summary.durationMs)}.`,
    '',
    `| Target | Account | Region | Result | ${STATUSES.join(' | ')} | Failing checks | Duration |`,
    `|---|---|---|---|${STATUSES.map(() => '---:').join('|')}|---|---:|`,
  ];
  for (const t of summary.targets) {
    const name = t.reportDir !== undefined ? `[${mdText(t.name)}](${href(`${t.reportDir}/${REPORT_FILES.html}`)})` : mdText(t.name);
    const why = t.state === 'checked' ? t.failing.map((id) => mdCode(id, true)).join(' ') : mdText(t.reason ?? '');
    lines.push(`| ${name} | ${mdText(t.accountId)} | ${mdText(t.region)} | ${targetFails(t, summary.failOn) ? '❌' : '✅'} ${targetVerdict(t, summary.failOn)} | ${STATUSES.map((s) => String(t.counts[s])).join(' | ')} | ${why} | ${formatDuration(t.durationMs)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const STYLE = `
:root{--fail:#cf222e;--error:#8250df;--warn:#9a6700;--pass:#1a7f37;--skip:#6e7781;--waived:#0969da;--line:#d0d7de;--muted:#59636e}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:90rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.4rem}
table{border-collapse:collapse;background:#fff;width:100%}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.85em}
td.cell{text-align:center;white-space:nowrap}
td.cell a,td.cell span{display:inline-block;min-width:4.2em;color:#fff;border-radius:4px;padding:0 .4em;font-size:.75em;font-weight:700;text-decoration:none}
.pass{background:var(--pass)}.fail{background:var(--fail)}.warn{background:var(--warn)}.error{background:var(--error)}.skip{background:var(--skip)}.waived{background:var(--waived)}
td.reason{color:var(--fail);overflow-wrap:anywhere}
.muted{color:var(--muted)}
`;

/** Targets × runbook steps: each cell the step's worst status, linking to that step in the target's report. */
export function renderFleetHtml(summary: FleetSummary): string {
  const steps = [...new Set([...Object.keys(STEP_NAMES).map(Number), ...summary.targets.flatMap((t) => Object.keys(t.steps).map(Number))])].sort((a, b) => a - b);
  const head = `<tr><th>Target</th><th>Account / region</th><th>Result</th>${steps.map((s) => `<th title="${escapeHtml(stepName(s))}">${s}</th>`).join('')}<th>Failing checks</th><th>Duration</th></tr>`;
  const rows = summary.targets.map((t) => {
    const report = t.reportDir !== undefined ? href(`${t.reportDir}/${REPORT_FILES.html}`) : undefined;
    const name = report ? `<a href="${escapeHtml(report)}">${escapeHtml(t.name)}</a>` : escapeHtml(t.name);
    const verdict = escapeHtml(targetVerdict(t, summary.failOn));
    const where = `${escapeHtml(t.accountId)}<br><span class="muted">${escapeHtml(t.region)}</span>`;
    if (t.state !== 'checked') {
      return `<tr><th>${name}</th><td>${where}</td><td>${verdict}</td><td class="reason" colspan="${steps.length + 1}">${escapeHtml(t.reason ?? '')}</td><td>${escapeHtml(formatDuration(t.durationMs))}</td></tr>`;
    }
    const cells = steps.map((s) => {
      const status = t.steps[String(s)];
      if (!status) return '<td class="cell muted">–</td>';
      const label = escapeHtml(status.toUpperCase());
      return `<td class="cell">${report ? `<a class="${status}" href="${escapeHtml(report)}#step-${s}" title="${escapeHtml(`${t.name}: step ${s}, ${stepName(s)}`)}">${label}</a>` : `<span class="${status}">${label}</span>`}</td>`;
    });
    return `<tr><th>${name}</th><td>${where}</td><td>${verdict}</td>${cells.join('')}<td>${t.failing.map((id) => `<code>${escapeHtml(id)}</code>`).join(' ')}</td><td>${escapeHtml(formatDuration(t.durationMs))}</td></tr>`;
  });
  const failing = summary.targets.filter((t) => targetFails(t, summary.failOn)).length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>askedgi-doctor fleet: ${failing} of ${summary.targets.length} failing</title>
<style>${STYLE}</style></head><body><main>
<h1>askedgi-doctor fleet</h1>
<p>${summary.targets.length} targets, <strong>${failing} failing</strong> (--fail-on ${escapeHtml(summary.failOn)}); started ${escapeHtml(summary.startedAt)}, ${escapeHtml(formatDuration(summary.durationMs))}${summary.shards ? `; shards ${summary.shards.map((s) => `${s.index}/${s.count}`).join(', ')}` : ''}.</p>
<table class="grid"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>
<p class="muted">Columns are runbook steps: ${steps.map((s) => `${s} ${escapeHtml(stepName(s))}`).join(' · ')}.</p>
</main></body></html>
`;
}

/** Renders every fleet report; returns file name → content (the caller writes them). */
export function renderFleetReports(summary: FleetSummary, outDir: string): Record<string, string> {
  return {
    [FLEET_FILES.json]: renderFleetJson(summary),
    [FLEET_FILES.junit]: renderFleetJunitFile(summary, outDir),
    [FLEET_FILES.markdown]: renderFleetMarkdown(summary),
    [FLEET_FILES.html]: renderFleetHtml(summary),
  };
}
