// The one way checks read a task definition's environment: a variable as the container receives it
// (a plain `environment` value or a `secrets` reference), and the plain value a check needs to
// verify something else, with one rule for every check: not set, empty or still a runbook
// placeholder is `fail` (the runbook asks for a real value); a `secrets` reference or a redacted
// secret value is `error` (the doctor cannot read the value to verify it).
import { error, fail as failFinding } from '../engine/finding.js';
import { looksLikePlaceholder } from '../inventory/redact.js';
import type { ContainerDefinition, KeyValue, TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';

export type EnvEntry =
  | { source: 'environment'; name: string; value: string; secret?: KeyValue['secret'] }
  | { source: 'secrets'; name: string; valueFrom: string };

/** "family:revision", how findings name a task definition. */
export const tdName = (td: TaskDefinition) => `${td.family}:${td.revision}`;

/** What identifies the container that carries the application among sidecars (log routers, agents). */
export interface MainContainerHint {
  /** The configured container name (the runbook calls the Insight one customizable). */
  name?: string;
  /** Variables the application container carries (the runbook's list for the role). */
  variables?: readonly string[];
  /** The port the application listens on. */
  port?: number;
}

/**
 * The container that carries the application: the one with the configured name; else the one that
 * carries most of the role's variables; else the one mapping the role's port; else the first. A
 * log router or monitoring sidecar beside it, or a renamed container, does not change the answer.
 */
export function mainContainer(td: TaskDefinition, hint: string | MainContainerHint = {}): ContainerDefinition | undefined {
  const h = typeof hint === 'string' ? { name: hint } : hint;
  const named = td.containers.find((c) => c.name === h.name);
  if (named || td.containers.length <= 1) return named ?? td.containers[0];
  const score = (c: ContainerDefinition) => (h.variables ?? []).filter((v) => envEntry(c, v) !== undefined).length;
  const best = Math.max(...td.containers.map(score));
  if (best > 0) return td.containers.find((c) => score(c) === best);
  return td.containers.find((c) => h.port !== undefined && c.portMappings.some((p) => p.containerPort === h.port)) ?? td.containers[0];
}

/** A variable as the container receives it: a plain environment value, or a `secrets` reference. */
export function envEntry(container: ContainerDefinition | undefined, name: string): EnvEntry | undefined {
  if (!container) return undefined;
  const plain = container.environment.find((e) => e.name === name);
  if (plain) return { source: 'environment', name, value: plain.value, secret: plain.secret };
  const ref = container.secrets.find((s) => s.name === name);
  return ref ? { source: 'secrets', name, valueFrom: ref.valueFrom } : undefined;
}

/** A variable from whichever container of the task definition carries it (UI and Job name none). */
export function findEnv(td: TaskDefinition, name: string): EnvEntry | undefined {
  for (const c of td.containers) {
    const e = envEntry(c, name);
    if (e) return e;
  }
  return undefined;
}

/** How a finding may show a variable's value: plain text, or only what kind of value it is. */
export function describeEntry(e: EnvEntry | undefined): string {
  if (!e) return 'not set';
  if (e.source === 'secrets') return `secrets reference ${e.valueFrom}`;
  if (e.secret) return e.secret.empty ? 'empty (secret)' : 'set (secret value not shown)';
  return e.value === '' ? 'empty' : e.value;
}

/** Empty or still a runbook placeholder; a reason for the message, or undefined when the value is usable. */
export function unusable(e: EnvEntry, isPlaceholder: (v: string) => boolean = looksLikePlaceholder): string | undefined {
  if (e.source === 'secrets') return e.valueFrom.trim() === '' ? 'an empty secrets reference' : undefined;
  if (e.secret) {
    if (e.secret.empty) return 'empty';
    if (e.secret.placeholder) return 'still a runbook placeholder';
    return undefined;
  }
  if (e.value.trim() === '') return 'empty';
  if (isPlaceholder(e.value)) return `still the runbook placeholder "${e.value}"`;
  return undefined;
}

export type PlainValue = { ok: true; value: string } | { ok: false; finding: Finding };

export interface PlainValueOptions {
  /** Completes "<td> has no <NAME>; …": why the value matters, e.g. "the Insight service cannot find its SQS queues". */
  why: string;
  /** What the finding expects, e.g. the cluster name; default "<NAME> set". */
  expected?: string;
  /**
   * How an unset, empty or placeholder value is reported: `fail` where the check verifies the
   * variable itself (the default), `error` where the variable only points at what the check
   * verifies and another check already fails on the variable.
   */
  absent?: 'fail' | 'error';
}

/**
 * The trimmed plain value of `name` in `container` (a task definition's main container), or the
 * finding that says why it cannot be used.
 */
/** The kinds plainValue reports: a check that reads a variable with it lists these. */
export const PLAIN_VALUE_CODES = ['variable-missing', 'value-from-secret', 'value-is-secret', 'variable-empty', 'value-whitespace', 'placeholder'] as const;

export function plainValue(td: TaskDefinition, container: ContainerDefinition | undefined, name: string, opts: PlainValueOptions): PlainValue {
  const where = `Task definition ${tdName(td)}`;
  const expected = opts.expected ?? `${name} set`;
  const fail = opts.absent === 'error' ? error : failFinding;
  const entry = envEntry(container, name);
  if (!entry) return { ok: false, finding: fail(`${where} has no ${name}; ${opts.why}.`, { code: 'variable-missing', resource: td.arn, expected, found: 'not set' }) };
  if (entry.source === 'secrets') {
    return {
      ok: false,
      finding: error(`${where} takes ${name} from a secrets reference (${entry.valueFrom}); its value cannot be verified.`, { code: 'value-from-secret', resource: td.arn, expected: 'a plain environment value', found: `secrets valueFrom ${entry.valueFrom}` }),
    };
  }
  if (entry.secret) {
    return { ok: false, finding: error(`${where} sets ${name} to a value the doctor treats as secret; it cannot be verified.`, { code: 'value-is-secret', resource: td.arn, expected: 'a plain environment value', found: 'a secret value (not shown)' }) };
  }
  const value = entry.value.trim();
  if (value === '') return { ok: false, finding: fail(`${where} sets ${name} to an empty value; ${opts.why}.`, { code: 'variable-empty', resource: td.arn, expected, found: 'empty' }) };
  if (value !== entry.value) {
    // The service reads the variable as it is: "acme-bucket " names no bucket.
    return {
      ok: false,
      finding: failFinding(`${where} sets ${name}=${JSON.stringify(entry.value)} with white space around the value; the service reads it as is, so it names nothing that exists.`, { code: 'value-whitespace', resource: td.arn, expected: JSON.stringify(value), found: JSON.stringify(entry.value) }),
    };
  }
  if (looksLikePlaceholder(value)) {
    return { ok: false, finding: fail(`${where} sets ${name}=${value}, still the runbook placeholder.`, { code: 'placeholder', resource: td.arn, expected, found: value }) };
  }
  return { ok: true, value };
}

/** The plain value of a variable from any container, when it is readable as text (not a secret). */
export function envValue(td: TaskDefinition, name: string): string | undefined {
  const e = findEnv(td, name);
  return e && e.source === 'environment' && !e.secret ? e.value : undefined;
}
