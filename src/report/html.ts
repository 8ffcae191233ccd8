// A self-contained HTML report (no scripts, no external assets) for people who read in a browser.
import type { CheckResult, Finding, Report, Status } from '../model.js';
import { STATUSES } from '../model.js';
import { groupByStep, stepName } from './steps.js';
import { inertText } from '../text/inert.js';

/** Every value is untrusted text: escaped for HTML, control characters shown as visible escapes. */
export function escapeHtml(value: string | number): string {
  // Bidi controls as the console shows them (a value cannot reorder what the reader sees), long values cut.
  return inertText(String(value))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const COLORS: Record<Status, string> = { pass: '#1a7f37', fail: '#cf222e', warn: '#9a6700', error: '#8250df', skip: '#6e7781', waived: '#0969da' };

const badge = (s: Status) => `<span class="badge" style="background:${COLORS[s]}">${s.toUpperCase()}</span>`;

function finding(f: Finding): string {
  const rows = [
    f.resource !== undefined ? `<dt>resource</dt><dd><code>${escapeHtml(f.resource)}</code></dd>` : '',
    f.expected !== undefined ? `<dt>expected</dt><dd>${escapeHtml(f.expected)}</dd>` : '',
    f.found !== undefined ? `<dt>found</dt><dd>${escapeHtml(f.found)}</dd>` : '',
  ].join('');
  return `<li>${badge(f.status)} ${escapeHtml(f.message)}${rows ? `<dl>${rows}</dl>` : ''}</li>`;
}

function check(r: CheckResult): string {
  const open = r.status === 'fail' || r.status === 'error' ? ' open' : '';
  const fix = r.status === 'pass' || r.status === 'skip' ? '' : `<p class="fix"><strong>Fix:</strong> ${escapeHtml(r.remediation)}</p>`;
  return `<details class="check"${open}><summary>${badge(r.status)} <code>${escapeHtml(r.id)}</code> ${escapeHtml(r.title)} <small>${escapeHtml(r.severity)}${r.source ? ` · plugin ${escapeHtml(r.source)}` : ''}</small></summary><ul>${r.findings.map(finding).join('')}</ul>${fix}</details>`;
}

export function renderHtml(report: Report): string {
  const t = report.target;
  const summary = STATUSES.map((s) => `<li>${badge(s)} ${report.summary[s]}</li>`).join('');
  const steps = groupByStep(report.results)
    .map(({ step, results }) => `<section><h2>Step ${step} — ${escapeHtml(stepName(step))}</h2>${results.map(check).join('')}</section>`)
    .join('');
  const calls = Object.entries(report.stats.apiCalls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `<tr><td><code>${escapeHtml(op)}</code></td><td>${n}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>askedgi-doctor report — ${escapeHtml(t.cluster)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1f2328}
.badge{color:#fff;border-radius:4px;padding:0 .4em;font-size:.8em;font-weight:600}
.summary{display:flex;gap:1rem;list-style:none;padding:0}
details.check{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer} dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1rem;margin:.3rem 0}
dt{color:#59636e} dd{margin:0;overflow-wrap:anywhere} .fix{background:#fff8c5;padding:.3rem .6rem;border-radius:4px}
table{border-collapse:collapse} td{border-bottom:1px solid #d0d7de;padding:.1rem .8rem .1rem 0}
</style></head><body>
<h1>askedgi-doctor ${escapeHtml(report.tool.version)}</h1>
<p>Region <strong>${escapeHtml(t.region)}</strong>${t.account ? ` · account <strong>${escapeHtml(t.account)}</strong>` : ''} · cluster <strong>${escapeHtml(t.cluster)}</strong>${t.endpoint ? ` · endpoint <code>${escapeHtml(t.endpoint)}</code>` : ''} · started ${escapeHtml(report.startedAt)} · ${report.stats.durationMs} ms</p>
<ul class="summary">${summary}</ul>
${steps || '<p>No checks ran.</p>'}
<h2>AWS API calls</h2><table>${calls}</table>
</body></html>
`;
}
