// A self-contained HTML report (no scripts, no external assets) for people who read in a browser:
// what needs attention first, then the runbook steps with the evidence, then the run's facts.
import type { Attachment, CheckResult, Finding, Report, Status } from '../model.js';
import { STATUSES } from '../model.js';
import { formatDuration, totalApiCalls } from './console.js';
import { groupByStep, stepName } from './steps.js';
import { inertText } from '../text/inert.js';

export interface HtmlOptions {
  /** Screenshots to embed: attachment path → `data:image/png;base64,…` (the report writer reads them). */
  images?: Readonly<Record<string, string>>;
}

/** Only images can be embedded, as data URIs; styles are inline; nothing else loads, nothing runs. */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

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

const LABEL: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', error: 'ERROR', skip: 'SKIP', waived: 'WAIVED' };
const ATTENTION: readonly Status[] = ['fail', 'error', 'warn'];
const ORDER: Record<Status, number> = { fail: 0, error: 1, warn: 2, waived: 3, skip: 4, pass: 5 };

const badge = (s: Status) => `<span class="badge ${s}">${LABEL[s]}</span>`;
const mark = (f: Finding) => (f.baseline ? ` <span class="tag ${f.baseline}">${f.baseline}</span>` : '');
const anchor = (index: number) => `check-${index}`;

/** Text that may span lines: a <pre> block when it does, inline otherwise. */
function value(s: string, inlineAs: 'code' | 'span' = 'span'): string {
  if (/[\r\n]/.test(s)) return `<pre>${escapeHtml(s)}</pre>`;
  return inlineAs === 'code' ? `<code>${escapeHtml(s)}</code>` : escapeHtml(s);
}

/** A relative path as an href: each segment percent-encoded, so it can only name a file beside the report. */
export function href(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function attachments(list: readonly Attachment[], images: Readonly<Record<string, string>>): string {
  const shots = list.filter((a) => a.kind === 'screenshot');
  const others = list.filter((a) => a.kind !== 'screenshot');
  const figures = shots
    .map((a) => {
      // Only a base64 image data URI the writer made is embedded (whole: text escaping would cut it).
      const found = images[a.path];
      const src = found && /^data:image\/[a-z+.-]+;base64,[A-Za-z0-9+/=]+$/.test(found) ? found : undefined;
      // The thumbnail links to the file beside the report, to see it at full size.
      const body = src
        ? `<a href="${escapeHtml(href(a.path))}"><img src="${src}" alt="${escapeHtml(a.caption)}"></a>`
        : `<p class="missing">screenshot not found: <code>${escapeHtml(a.path)}</code></p>`;
      return `<figure>${body}<figcaption>${escapeHtml(a.caption)}</figcaption></figure>`;
    })
    .join('');
  const links = others.map((a) => `<li>${escapeHtml(a.kind)}: <a href="${escapeHtml(href(a.path))}">${escapeHtml(a.path)}</a> — ${escapeHtml(a.caption)}</li>`).join('');
  return `${figures ? `<div class="shots">${figures}</div>` : ''}${links ? `<ul class="files">${links}</ul>` : ''}`;
}

function finding(f: Finding, images: Readonly<Record<string, string>>): string {
  const rows = [
    f.resource !== undefined ? `<dt>resource</dt><dd>${value(f.resource, 'code')}</dd>` : '',
    f.expected !== undefined ? `<dt>expected</dt><dd>${value(f.expected)}</dd>` : '',
    f.found !== undefined ? `<dt>found</dt><dd>${value(f.found)}</dd>` : '',
  ].join('');
  const [first = '', ...rest] = f.message.split(/\r?\n/);
  const more = rest.length > 0 ? `<pre>${escapeHtml(rest.join('\n'))}</pre>` : '';
  return `<li class="finding ${f.status}">${badge(f.status)}${mark(f)} <span class="msg">${escapeHtml(first)}</span>${f.code !== undefined ? ` <small class="code">${escapeHtml(f.code)}</small>` : ''}${more}${rows ? `<dl>${rows}</dl>` : ''}${attachments(f.attachments ?? [], images)}</li>`;
}

/** The findings that gave the check its status, as one line. */
function headline(r: CheckResult): string {
  const causes = r.findings.filter((f) => f.status === r.status);
  const first = causes[0]?.message.split(/\r?\n/)[0];
  if (first === undefined) return `${r.id} reported no findings.`;
  return causes.length > 1 ? `${first} (+${causes.length - 1} more)` : first;
}

function check(r: CheckResult, index: number, images: Readonly<Record<string, string>>): string {
  // Failures, errors and warnings are open: visible without clicking.
  const open = ATTENTION.includes(r.status) ? ' open' : '';
  const fix = ATTENTION.includes(r.status) ? `<p class="fix"><strong>Fix:</strong> ${escapeHtml(r.remediation)}</p>` : '';
  const plugin = r.source ? ` · plugin <code>${escapeHtml(r.source)}</code>` : '';
  return `<details class="check ${r.status}" id="${anchor(index)}"${open}><summary>${badge(r.status)} <code>${escapeHtml(r.id)}</code> <span class="title">${escapeHtml(r.title)}</span> <small>${escapeHtml(r.severity)}${plugin}</small></summary><ul class="findings">${r.findings.map((f) => finding(f, images)).join('')}</ul>${fix}</details>`;
}

function attentionTable(report: Report): string {
  const rows = report.results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => ATTENTION.includes(r.status))
    .sort((a, b) => ORDER[a.r.status] - ORDER[b.r.status] || a.r.step - b.r.step || a.i - b.i)
    .map(({ r, i }) => {
      const marks = new Set(r.findings.filter((f) => f.status === r.status && f.baseline).map((f) => f.baseline));
      const tag = marks.has('new') ? ' <span class="tag new">new</span>' : marks.has('known') ? ' <span class="tag known">known</span>' : '';
      return `<tr class="${r.status}"><td>${badge(r.status)}${tag}</td><td><a href="#${anchor(i)}"><code>${escapeHtml(r.id)}</code></a><div class="step">step ${r.step} · ${escapeHtml(r.severity)}</div></td><td>${escapeHtml(headline(r))}</td><td>${escapeHtml(r.remediation)}</td></tr>`;
    });
  if (rows.length === 0) {
    return report.results.length > 0 ? '<p class="allgood">Nothing failed, errored or warned.</p>' : '<p>No checks ran.</p>';
  }
  return `<table class="attention"><thead><tr><th>status</th><th>check</th><th>what was found</th><th>fix</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function verdict(report: Report): { cls: string; text: string } {
  const s = report.summary;
  const parts = [s.fail ? `${s.fail} failed` : '', s.error ? `${s.error} could not be verified` : '', s.warn ? `${s.warn} with warnings` : ''].filter(Boolean);
  if (s.fail || s.error) return { cls: 'bad', text: `${parts.join(', ')} of ${report.results.length} checks` };
  if (s.warn) return { cls: 'warn', text: `All checks pass; ${parts.join(', ')}` };
  return { cls: 'good', text: report.results.length > 0 ? `All ${s.pass} checks that ran pass` : 'No checks ran' };
}

function baselineSection(report: Report): string {
  const b = report.baseline;
  if (!b) return '';
  const fixed = b.fixed
    .map((f) => `<li>${badge(f.status)} <code>${escapeHtml(f.check)}</code> ${escapeHtml(f.message)}${f.resource !== undefined ? ` <code>${escapeHtml(f.resource)}</code>` : ''}</li>`)
    .join('');
  return `<section class="baseline"><h2>Since the baseline</h2><p>Compared with <code>${escapeHtml(b.file)}</code> (started ${escapeHtml(b.startedAt)}): <span class="tag new">${b.new} new</span> <span class="tag known">${b.known} known</span> <span class="tag fixed">${b.fixed.length} fixed</span></p>${fixed ? `<h3>Fixed</h3><ul class="fixed">${fixed}</ul>` : ''}</section>`;
}

const STYLE = `
:root{--fail:#cf222e;--error:#8250df;--warn:#9a6700;--pass:#1a7f37;--skip:#6e7781;--waived:#0969da;--line:#d0d7de;--muted:#59636e}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:78rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.4rem;margin:.2rem 0}h1 code{font-size:1.25rem}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
code,pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;margin:.3rem 0;overflow:auto;max-height:24rem;white-space:pre}
.verdict{display:flex;align-items:center;gap:1rem;border-radius:8px;padding:.7rem 1rem;color:#fff;margin:.4rem 0 .8rem}
.verdict.bad{background:var(--fail)}.verdict.warn{background:var(--warn)}.verdict.good{background:var(--pass)}
.verdict strong{font-size:1.1rem}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:0 0 .6rem}
.counts li{background:#fff;border:1px solid var(--line);border-radius:999px;padding:.05rem .6rem .05rem .2rem}
.badge{display:inline-block;min-width:4.2em;text-align:center;color:#fff;border-radius:4px;padding:0 .4em;font-size:.75em;font-weight:700;letter-spacing:.03em;vertical-align:1px}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}.badge.error{background:var(--error)}.badge.skip{background:var(--skip)}.badge.waived{background:var(--waived)}
.tag{display:inline-block;border-radius:4px;padding:0 .35em;font-size:.75em;font-weight:600;border:1px solid}
.tag.new{color:var(--fail);border-color:var(--fail)}.tag.known{color:var(--muted);border-color:var(--line)}.tag.fixed{color:var(--pass);border-color:var(--pass)}
table{border-collapse:collapse;width:100%;background:#fff}
th{text-align:left;font-weight:600;color:var(--muted);font-size:.85em;border-bottom:2px solid var(--line);padding:.3rem .6rem}
td{border-bottom:1px solid var(--line);padding:.45rem .6rem;vertical-align:top;overflow-wrap:anywhere}
table.attention{border:1px solid var(--line);border-radius:6px}
table.attention td:first-child{white-space:nowrap;width:1%}
table.attention td:nth-child(2){width:20%}
table.attention td:last-child{color:#3d444d;width:38%}
tr.fail td:first-child{border-left:4px solid var(--fail)}tr.error td:first-child{border-left:4px solid var(--error)}tr.warn td:first-child{border-left:4px solid var(--warn)}
.step{color:var(--muted);font-size:.8em}
.allgood{background:#dafbe1;border:1px solid #aceebb;border-radius:6px;padding:.5rem .8rem}
details.check{background:#fff;border:1px solid var(--line);border-left-width:4px;border-radius:6px;margin:.4rem 0;padding:.35rem .7rem}
details.check.fail{border-left-color:var(--fail)}details.check.error{border-left-color:var(--error)}details.check.warn{border-left-color:var(--warn)}details.check.pass{border-left-color:var(--pass)}
summary{cursor:pointer}summary small{color:var(--muted)}small.code{color:var(--muted);font-family:ui-monospace,monospace}
ul.findings{list-style:none;padding-left:.4rem;margin:.4rem 0}
li.finding{margin:.35rem 0}
li.finding.pass .msg{color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0 .3rem 4.8em}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.fix{background:#fff8c5;border:1px solid #eed888;padding:.35rem .7rem;border-radius:6px;margin:.4rem 0}
.shots{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.7rem;margin:.5rem 0 .3rem 4.8em}
figure{margin:0;background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:.3rem}
figure img{display:block;width:100%;height:auto;max-height:16rem;object-fit:cover;object-position:top;border-radius:4px;background:#fff}
figcaption{font-size:.85em;color:var(--muted);padding:.2rem .1rem 0}
ul.files{margin:.3rem 0 .3rem 4.8em;padding-left:1rem}
.missing{color:var(--muted);font-style:italic}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.3rem 1.2rem;background:#fff;border:1px solid var(--line);border-radius:6px;padding:.6rem .9rem;margin:0}
.facts div{display:flex;flex-direction:column}.facts dt{font-size:.78em}.facts dd{font-weight:600}
.calls td{width:auto}
`;

export function renderHtml(report: Report, opts: HtmlOptions = {}): string {
  const images = opts.images ?? {};
  const t = report.target;
  const v = verdict(report);
  const counts = STATUSES.map((s) => `<li>${badge(s)} ${report.summary[s]}</li>`).join('');
  const steps = groupByStep(report.results)
    .map(({ step, results }) => `<section class="runbook-step" id="step-${step}"><h2>Step ${step} — ${escapeHtml(stepName(step))}</h2>${results.map((r) => check(r, report.results.indexOf(r), images)).join('')}</section>`)
    .join('');
  const calls = Object.entries(report.stats.apiCalls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `<tr><td><code>${escapeHtml(op)}</code></td><td>${n}</td></tr>`)
    .join('');
  const fact = (name: string, val: string | undefined) => (val === undefined ? '' : `<div><dt>${name}</dt><dd>${val}</dd></div>`);
  const facts = [
    fact('account', t.account !== undefined ? escapeHtml(t.account) : undefined),
    fact('region', escapeHtml(t.region)),
    fact('cluster', escapeHtml(t.cluster)),
    fact('endpoint', t.endpoint !== undefined ? `<code>${escapeHtml(t.endpoint)}</code>` : undefined),
    fact('started', escapeHtml(report.startedAt)),
    fact('duration', escapeHtml(formatDuration(report.stats.durationMs))),
    fact('AWS API calls', String(totalApiCalls(report))),
    fact('askedgi-doctor', escapeHtml(report.tool.version)),
    fact('Node', escapeHtml(report.tool.node)),
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>askedgi-doctor report — ${escapeHtml(t.cluster)}</title>
<style>${STYLE}</style></head><body><main>
<h1>askedgi-doctor report — <code>${escapeHtml(t.cluster)}</code></h1>
<div class="verdict ${v.cls}"><strong>${escapeHtml(v.text)}</strong></div>
<ul class="counts">${counts}</ul>
<section class="needs-attention"><h2>Needs attention</h2>${attentionTable(report)}</section>
${baselineSection(report)}
<section class="facts-section"><h2>Run</h2><dl class="facts">${facts}</dl></section>
${steps}
<section><h2>AWS API calls</h2><details><summary>${totalApiCalls(report)} calls by operation</summary><table class="calls">${calls}</table></details></section>
</main></body></html>
`;
}
