// JUnit reporter for CI gates: one testsuite per runbook step, one testcase per check.
// Shape follows schemas/junit-10.xsd (Jenkins xUnit) and what stricter consumers need (DOMAIN.md).

import { hostname as osHostname } from 'node:os';
import { create } from 'xmlbuilder2';
import { STATUSES, type CheckResult, type Finding, type Report, type Status } from '../model.js';
import { groupByStep, stepName } from './steps.js';
import { truncateText } from '../text/inert.js';

export interface JunitOptions {
  /** Defaults to this machine's hostname. */
  hostname?: string;
}

const PACKAGE = 'askedgi-doctor';

type XMLBuilder = ReturnType<typeof create>;

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Removes every character XML 1.0 forbids (C0 controls other than \t \n \r, U+FFFE/U+FFFF, lone surrogates). */
export function xmlSafe(s: string): string {
  let out = '';
  // Iterating by code point keeps surrogate pairs together, so only lone surrogates are dropped.
  for (const ch of s) {
    if (isXmlChar(ch.codePointAt(0) ?? 0)) out += ch;
  }
  return out;
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes before handing text to xmlbuilder2: its serializer leaves anything shaped like an entity
 * reference unescaped (`&foo;`, `&#1;`), so an AWS value could inject an undefined entity or a
 * forbidden character reference. Once every `&` is ours, it passes the text through unchanged.
 */
function text(s: string): string {
  return xmlSafe(s).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Attribute values are single-line: parsers would turn raw \t \n \r into spaces anyway. */
function attr(s: string): string {
  return text(s.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\t/g, ' ').trim());
}

function seconds(ms: number): string {
  return (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0).toFixed(3);
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC, or undefined when startedAt is not a date. */
function timestamp(iso: string): string | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 19);
}

function describeFinding(f: Finding): string {
  // Each value cut when very long, with its length shown.
  const lines = [`[${f.status.toUpperCase()}] ${truncateText(f.message)}`];
  if (f.resource !== undefined) lines.push(`  resource: ${truncateText(f.resource)}`);
  if (f.expected !== undefined) lines.push(`  expected: ${truncateText(f.expected)}`);
  if (f.found !== undefined) lines.push(`  found: ${truncateText(f.found)}`);
  return lines.join('\n');
}

function nonPassing(r: CheckResult): Finding[] {
  return r.findings.filter((f) => f.status !== 'pass');
}

/** The findings that gave the check its status, summarized for a one-line `message` attribute. */
function headline(r: CheckResult): string {
  const causes = r.findings.filter((f) => f.status === r.status);
  const first = causes[0];
  if (first === undefined) return `${r.id} reported no findings.`;
  return causes.length > 1 ? `${truncateText(first.message)} (+${causes.length - 1} more)` : truncateText(first.message);
}

function failureBody(r: CheckResult): string {
  const findings = nonPassing(r).map(describeFinding);
  return [...findings, `fix: ${r.remediation}`].join('\n\n');
}

/** The code of the first finding that gave the check its status: the failure's `type` (README "Reports"). */
function causeCode(r: CheckResult): string {
  return r.findings.find((f) => f.status === r.status && f.code !== undefined)?.code ?? r.status;
}

function addTestcase(suite: XMLBuilder, r: CheckResult, step: number, prefix = ''): void {
  const tc = suite.ele('testcase', {
    name: attr(`${prefix}${r.id}: ${r.title}`),
    classname: `${PACKAGE}.${prefix ? `${prefix.replace(/: $/, '')}.` : ''}step${step}`,
    time: seconds(r.durationMs),
  });
  switch (r.status) {
    case 'fail':
      tc.ele('failure', { type: attr(causeCode(r)), message: attr(headline(r)) }).txt(text(failureBody(r)));
      break;
    case 'error':
      tc.ele('error', { type: attr(causeCode(r)), message: attr(headline(r)) }).txt(text(failureBody(r)));
      break;
    case 'skip': {
      const reasons = r.findings.filter((f) => f.status === 'skip').map((f) => f.message);
      tc.ele('skipped', { type: 'skip', message: attr(reasons.length > 0 ? reasons.join(' ') : 'Skipped.') });
      break;
    }
    case 'waived': {
      // An accepted risk is not a pass: skipped, with the waiver's reason (the findings carry it).
      const reasons = r.findings.filter((f) => f.status === 'waived').map((f) => f.message);
      tc.ele('skipped', { type: 'waived', message: attr(reasons.length > 0 ? reasons.join(' ') : 'Waived.') });
      break;
    }
    case 'warn':
      // Passing testcases. The strict Ant schema allows no system-out inside a testcase, so their
      // findings go to the suite's system-out, under the check id.
      break;
    case 'pass':
      break;
  }
}

function countBy(results: readonly CheckResult[], status: Status): number {
  return results.filter((r) => r.status === status).length;
}

export function renderJunit(report: Report, opts: JunitOptions = {}): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  appendStepSuites(doc.ele('testsuites'), report, { hostname: attr(opts.hostname ?? osHostname()), prefix: '', firstId: 0 });
  return `${doc.end({ prettyPrint: true })}\n`;
}

interface SuiteContext {
  /** Already an attribute value. */
  hostname: string;
  /** Before every suite and testcase name ("acme-prod: " in a fleet); empty for one target. */
  prefix: string;
  firstId: number;
}

/** One testsuite per runbook step of a report; returns the next free suite id. */
function appendStepSuites(root: XMLBuilder, report: Report, c: SuiteContext): number {
  const ts = timestamp(report.startedAt);
  const properties: Array<[string, string | undefined]> = [
    ['tool.version', report.tool.version],
    ['region', report.target.region],
    ['account', report.target.account],
    ['cluster', report.target.cluster],
    ['endpoint', report.target.endpoint],
  ];
  const groups = groupByStep(report.results);
  groups.forEach(({ step, results }, index) => {
    const suite = root.ele('testsuite', {
      name: attr(`${c.prefix}${PACKAGE} step ${step}: ${stepName(step)}`),
      tests: String(results.length),
      failures: String(countBy(results, 'fail')),
      errors: String(countBy(results, 'error')),
      skipped: String(countBy(results, 'skip') + countBy(results, 'waived')),
      time: seconds(results.reduce((sum, r) => sum + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0)),
      ...(ts === undefined ? {} : { timestamp: ts }),
      hostname: c.hostname,
      id: String(c.firstId + index),
      package: PACKAGE,
    });
    const props = suite.ele('properties');
    for (const [name, value] of properties) {
      if (value !== undefined) props.ele('property', { name, value: attr(value) });
    }
    for (const r of results) addTestcase(suite, r, step, c.prefix);
    const counts = STATUSES.map((s) => `${countBy(results, s)} ${s}`).join(', ');
    const checks = `${results.length} check${results.length === 1 ? '' : 's'}`;
    const notes = results
      .filter((r) => r.status === 'warn' || r.status === 'waived')
      .map((r) => `${r.id}: ${r.status}\n${nonPassing(r).map(describeFinding).join('\n\n')}`);
    suite.ele('system-out').txt(text([`${c.prefix}Step ${step}, ${stepName(step)}: ${checks}: ${counts}.`, ...notes].join('\n\n')));
    suite.ele('system-err');
  });
  return c.firstId + groups.length;
}

/** A fleet target: its report, or why it has none (sts:AssumeRole refused, the run broke). */
export interface FleetJunitTarget {
  name: string;
  accountId: string;
  region: string;
  roleArn: string;
  report?: Report;
  reason?: string;
  startedAt: string;
  durationMs: number;
}

/**
 * The fleet's JUnit file: one testsuite per target and runbook step, every name prefixed by the
 * target ("acme-prod: askedgi-doctor step 3: S3 bucket"); a target without a report is one suite
 * with one errored testcase carrying the reason.
 */
export function renderFleetJunit(targets: readonly FleetJunitTarget[], opts: JunitOptions = {}): string {
  const hostname = attr(opts.hostname ?? osHostname());
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('testsuites');
  let id = 0;
  for (const t of targets) {
    const prefix = `${t.name}: `;
    if (t.report) {
      id = appendStepSuites(root, t.report, { hostname, prefix, firstId: id });
      continue;
    }
    const ts = timestamp(t.startedAt);
    const suite = root.ele('testsuite', {
      name: attr(`${prefix}${PACKAGE} target`),
      tests: '1',
      failures: '0',
      errors: '1',
      skipped: '0',
      time: seconds(t.durationMs),
      ...(ts === undefined ? {} : { timestamp: ts }),
      hostname,
      id: String(id++),
      package: PACKAGE,
    });
    const props = suite.ele('properties');
    for (const [name, value] of [['account', t.accountId], ['region', t.region], ['roleArn', t.roleArn]] as const) props.ele('property', { name, value: attr(value) });
    const reason = t.reason ?? 'no report';
    suite
      .ele('testcase', { name: attr(`${prefix}target: the role can be assumed and the run completes`), classname: `${PACKAGE}.${t.name}`, time: seconds(t.durationMs) })
      .ele('error', { type: 'error', message: attr(truncateText(reason)) })
      .txt(text(reason));
    suite.ele('system-out').txt(text(`${prefix}${reason}`));
    suite.ele('system-err');
  }
  return `${doc.end({ prettyPrint: true })}\n`;
}
