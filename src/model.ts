// The result model shared by checks, probes, reporters and the CLI (DESIGN.md "Findings, statuses, exit codes").

export const STATUSES = ['pass', 'fail', 'warn', 'error', 'skip', 'waived'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One observation of a check. Messages name the resource and end with a period. */
export interface Finding {
  status: Status;
  message: string;
  /** ARN or id of the resource, with its human name when it has one. */
  resource?: string;
  /**
   * The kind of finding, stable within its check (e.g. 'missing-rule'). Checks write the local kind;
   * reports carry it qualified as `<check-id>/<kind>` (see README "Reports"). Every non-pass finding has one.
   */
  code?: string;
  /** In reports: `<code>@<resource>` (the code alone without a resource); what `run --baseline` matches by. */
  fingerprint?: string;
  expected?: string;
  found?: string;
  /** Files the check wrote as evidence (the smoke test's screenshots and trace). */
  attachments?: Attachment[];
  /** With `run --baseline`: whether a non-pass finding was already in the baseline report. */
  baseline?: BaselineMark;
}

/** A file a check wrote as evidence. Reporters embed screenshots and link everything else. */
export interface Attachment {
  kind: 'screenshot' | 'trace';
  /** Where the file is: as the check wrote it; the report writer makes it relative to the report directory. */
  path: string;
  /** One line saying what it shows, e.g. "login". */
  caption: string;
}

export type BaselineMark = 'new' | 'known';

/** A non-pass finding of the baseline report that this run no longer has. */
export interface FixedFinding {
  check: string;
  status: Status;
  message: string;
  resource?: string;
  /** The finding's code (absent when the baseline report predates codes). */
  code?: string;
  /** What findings are matched by (see src/report/baseline.ts). */
  fingerprint: string;
}

/** The comparison with a previous report (`run --baseline <file>`). */
export interface BaselineDiff {
  /** The baseline file as given on the command line. */
  file: string;
  /** When the baseline run started. */
  startedAt: string;
  /** Non-pass findings of this run that the baseline did not have / already had. */
  new: number;
  known: number;
  fixed: FixedFinding[];
}

/** The outcome of one check: its catalog entry, its overall status and its findings. */
export interface CheckResult {
  id: string;
  title: string;
  step: number;
  severity: Severity;
  status: Status;
  findings: Finding[];
  remediation: string;
  durationMs: number;
  /** The checks.modules entry a plugin check came from; absent for built-in checks. */
  source?: string;
}

/** Version of the JSON report's shape (schemas/askedgi-doctor-report.schema.json); bumped when it changes. */
export const REPORT_SCHEMA_VERSION = 3;

export interface Report {
  /** 2 added attachments, baseline marks and the baseline diff; 3 added finding codes and fingerprints. */
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'askedgi-doctor'; version: string; node: string };
  startedAt: string;
  target: { region: string; account?: string; cluster: string; endpoint?: string };
  results: CheckResult[];
  summary: Record<Status, number>;
  stats: { apiCalls: Record<string, number>; durationMs: number };
  /** Present with `run --baseline`. */
  baseline?: BaselineDiff;
  /** Present with `run --severity`: only checks of these severities are reported (all of them ran). */
  filter?: ReportFilter;
}

/** What `run --severity` left out of a report. */
export interface ReportFilter {
  severity: Severity[];
  /** Checks that ran but are not reported because their severity is not in `severity`. */
  notReported: number;
}

/** Worst first: the overall status of a check is the worst status among its findings. */
const RANK: Record<Status, number> = { error: 5, fail: 4, warn: 3, waived: 2, pass: 1, skip: 0 };

export function worstStatus(findings: readonly Finding[]): Status {
  if (findings.length === 0) return 'error';
  return findings.reduce<Status>((acc, f) => (RANK[f.status] > RANK[acc] ? f.status : acc), 'skip');
}

export function summarize(results: readonly CheckResult[]): Record<Status, number> {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) summary[r.status] += 1;
  return summary;
}
