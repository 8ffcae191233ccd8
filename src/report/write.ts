// Where reports go: files under the output directory, the console, and in CI the GitHub step
// summary and workflow-command annotations. Renderers stay pure; this is the only module that writes.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Report } from '../model.js';
import { renderConsole } from './console.js';
import { renderGithubAnnotations } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { ESCAPED_MASK, MASK, maskSecrets } from '../secrets/mask.js';

export const REPORT_FORMATS = ['console', 'json', 'junit', 'html', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** File names below the output directory. */
export const REPORT_FILES = { json: 'askedgi-doctor.json', junit: 'junit.xml', html: 'askedgi-doctor.html', markdown: 'askedgi-doctor.md' } as const;

export interface WriteOptions {
  formats: readonly ReportFormat[];
  outDir: string;
  /** GITHUB_STEP_SUMMARY and GITHUB_ACTIONS are read from here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Console report and annotations (default process.stdout). */
  stdout?: (text: string) => void;
  /**
   * `-o -`: the one selected format goes to `stdout` instead of a file, and nothing else does
   * (GitHub annotations go to `stderr`, which the runner reads as well). `outDir` is then only
   * where the smoke test's screenshots are, for attachment paths.
   */
  toStdout?: boolean;
  /** Where annotations go with `toStdout` (default process.stderr). */
  stderr?: (text: string) => void;
  color?: boolean;
  verbose?: boolean;
  /** --quiet: the console report is only the "Needs attention" block and the summary line. */
  quiet?: boolean;
  /** For JUnit; defaults to this machine's hostname. */
  hostname?: string;
}

export interface Written {
  /** The report as written: attachment paths relative to the output directory. */
  report: Report;
  /** Files written or appended to. */
  files: string[];
  /** Files that could not be written (the others still are). */
  failures: { path: string; error: unknown }[];
  /** The first renderer that threw (a bug): the other reports are still written. */
  crash?: unknown;
}

/** Attachment paths relative to the report directory, with forward slashes, so the report folder can move. */
export function relativeAttachments(report: Report, outDir: string): Report {
  const base = resolve(outDir);
  let changed = false;
  const results = report.results.map((r) => {
    if (!r.findings.some((f) => f.attachments?.length)) return r;
    return {
      ...r,
      findings: r.findings.map((f) => {
        if (!f.attachments?.length) return f;
        changed = true;
        return { ...f, attachments: f.attachments.map((a) => ({ ...a, path: relative(base, resolve(a.path)).split(sep).join('/') })) };
      }),
    };
  });
  return changed ? Object.freeze({ ...report, results }) : report;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/** The screenshots the HTML report embeds, read from below the output directory only. */
export function readImages(report: Report, outDir: string): Record<string, string> {
  const base = resolve(outDir);
  const images: Record<string, string> = {};
  for (const r of report.results) {
    for (const f of r.findings) {
      for (const a of f.attachments ?? []) {
        if (a.kind !== 'screenshot' || isAbsolute(a.path) || a.path.split('/').includes('..')) continue;
        const type = IMAGE_TYPES[extname(a.path).toLowerCase()];
        const file = join(base, a.path);
        if (!type || !existsSync(file)) continue;
        images[a.path] = `data:${type};base64,${readFileSync(file).toString('base64')}`;
      }
    }
  }
  return images;
}

/**
 * Secret masking for a rendered report. The screenshots the HTML embeds are base64 data URIs: bytes,
 * not text, which shape rules would corrupt (and which cannot carry a text secret the masking could
 * catch); everything around them is masked. In XML and HTML (`markup`) the mark itself is escaped: a raw
 * "<redacted>" would be a tag there (a JUnit file no parser accepts, a word the browser hides).
 */
function maskText(text: string, markup = false): string {
  const uri = /data:image\/[a-z+.-]+;base64,[A-Za-z0-9+/=]+/g;
  let out = '';
  let at = 0;
  for (const m of text.matchAll(uri)) {
    out += maskSecrets(text.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  out += maskSecrets(text.slice(at));
  return markup ? out.split(MASK).join(ESCAPED_MASK) : out;
}


/**
 * The report with every string masked, for the Markdown renderer: Markdown mixes contexts (text, where
 * GitHub would take a raw "<redacted>" for an HTML tag and show nothing, and code spans, where an escaped
 * mark would show as "&lt;"), so the mark goes in before rendering and the renderer escapes it for the
 * context it lands in. The written text still passes maskText afterwards.
 */
function maskedStrings<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskedStrings(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskedStrings(v)])) as T;
  return value;
}

/** Writes the selected formats; appends the Markdown to GITHUB_STEP_SUMMARY and prints annotations under GITHUB_ACTIONS. */
export function writeReports(input: Report, opts: WriteOptions): Written {
  const env = opts.env ?? process.env;
  const stdout = opts.stdout ?? ((s: string) => void process.stdout.write(s));
  const report = relativeAttachments(input, opts.outDir);
  const files: string[] = [];
  const failures: Written['failures'] = [];
  let crash: unknown;
  const render = (fn: () => string): string | undefined => {
    try {
      return fn();
    } catch (err) {
      crash ??= err;
      return undefined;
    }
  };
  // Every byte that leaves the process passes the secret masking (values the doctor knows, and shapes).
  const write = (name: string, text: string | undefined, markup = false) => {
    if (text === undefined) return;
    if (opts.toStdout) return stdout(maskText(text, markup));
    const path = join(opts.outDir, name);
    try {
      mkdirSync(opts.outDir, { recursive: true });
      writeFileSync(path, maskText(text, markup), 'utf8');
      files.push(path);
    } catch (error) {
      failures.push({ path, error });
    }
  };
  const has = (f: ReportFormat) => opts.formats.includes(f);
  if (has('json')) write(REPORT_FILES.json, render(() => renderJson(report)));
  if (has('junit')) write(REPORT_FILES.junit, render(() => renderJunit(report, { hostname: opts.hostname ?? osHostname() })), true);
  if (has('html')) write(REPORT_FILES.html, render(() => renderHtml(report, { images: readImages(report, opts.outDir) })), true);
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (has('markdown') || summaryFile) {
    const markdown = render(() => renderMarkdown(maskedStrings(report)));
    if (has('markdown')) write(REPORT_FILES.markdown, markdown);
    if (summaryFile && markdown !== undefined) {
      try {
        appendFileSync(summaryFile, `${maskSecrets(markdown)}\n`, 'utf8');
        files.push(summaryFile);
      } catch (error) {
        failures.push({ path: summaryFile, error });
      }
    }
  }
  if (has('console')) {
    const text = render(() => renderConsole(report, { color: opts.color ?? false, verbose: opts.verbose, quiet: opts.quiet }));
    if (text !== undefined) stdout(text);
  }
  if (env.GITHUB_ACTIONS === 'true') {
    const text = render(() => renderGithubAnnotations(report));
    const annotations = opts.toStdout ? (opts.stderr ?? ((s: string) => void process.stderr.write(s))) : stdout;
    if (text !== undefined) annotations(text);
  }
  return { report, files, failures, ...(crash !== undefined ? { crash } : {}) };
}
