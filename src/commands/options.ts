// Option values shared by the commander wiring (src/cli.ts) and the command modules. Light on
// purpose: src/cli.ts imports this for --help and --version, which must load no AWS client, browser
// or database driver.
import { SEVERITIES, type Severity, type Status } from '../model.js';
import { UsageError } from '../errors.js';

// The formats `-f` accepts (src/report/write.ts keeps its own list: a test holds them equal) and the default.
export const FORMATS = ['console', 'json', 'junit', 'html', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
export const DEFAULT_FORMATS: readonly Format[] = ['console', 'json', 'junit', 'html'];
export const FAIL_ON = ['warn', 'fail', 'error', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const FAILING: Record<FailOn, Status[]> = { warn: ['warn', 'fail', 'error'], fail: ['fail', 'error'], error: ['error'], none: [] };

/** A repeatable, comma-separated option: `--only a,b --only c`. An empty value (`--only ''`) is a usage error, not "all". */
export function list(v: string, prev: string[] = []): string[] {
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError(`expected one or more check ids, comma-separated; got ${JSON.stringify(v)}`);
  return [...prev, ...ids];
}

export function parseFormats(v: string): Format[] {
  const formats = v.split(',').map((s) => s.trim());
  const bad = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (bad.length > 0) throw new UsageError(`--format: unknown format(s) ${bad.join(', ')}; expected ${FORMATS.join(', ')}`);
  return formats as Format[];
}

/** `--severity critical,high`: a comma-separated list of severities (case-insensitive, repeatable). */
export function parseSeverities(v: string, prev: Severity[] = []): Severity[] {
  const given = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = given.filter((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (given.length === 0 || bad.length > 0) {
    throw new UsageError(`--severity: ${given.length === 0 ? 'no severity given' : `unknown severity ${bad.join(', ')}`}; expected ${SEVERITIES.join(', ')} (comma-separated)`);
  }
  return [...new Set([...prev, ...(given as Severity[])])];
}

/** `-o -`: the report goes to stdout. */
export const STDOUT_OUT = '-';

export function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

/** A duration in seconds (`--timeout 300`, `--check-timeout 1.5`): a positive number up to a day. */
export function seconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`expected a number of seconds greater than 0 (at most 86400); got ${JSON.stringify(v)}`);
  return n;
}
