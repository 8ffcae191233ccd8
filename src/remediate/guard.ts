// The pure parts of the guard: canonical hashing of plans and backups, staleness, the blast-radius
// cap and the approver. No I/O here, so each rule has a unit test.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { UsageError } from '../errors.js';
import { sealKey } from './seal-key.js';

/** JSON with object keys sorted at every level and no whitespace: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 (hex) over the canonical JSON of everything but the `sha256` field itself. */
export function contentHash(doc: object): string {
  const rest = { ...(doc as Record<string, unknown>) };
  delete rest.sha256;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * HMAC-SHA256 (hex) over the same canonical JSON, keyed with the local seal key (./seal-key.ts): the
 * value of a plan's or backup's `sha256` field. Whoever edits the file cannot recompute it without
 * the key file (0600, outside the plan and backup directories).
 */
export function sealOf(doc: object, key: Buffer = sealKey()): string {
  const rest = { ...(doc as Record<string, unknown>) };
  delete rest.sha256;
  return createHmac('sha256', key).update(canonicalJson(rest)).digest('hex');
}

export function seal<T extends object>(doc: Omit<T, 'sha256'>, key?: Buffer): T {
  return { ...doc, sha256: sealOf(doc, key) } as T;
}

export type SealCheck = { ok: true } | { ok: false; recorded: string; actual: string };

/** Whether a document still carries the seal of its content (a hand edit, re-hashed or not, does not). */
export function verifySeal(doc: { sha256?: unknown }, key?: Buffer): SealCheck {
  const actual = sealOf(doc, key);
  const recorded = typeof doc.sha256 === 'string' ? doc.sha256 : '(none)';
  const same = recorded.length === actual.length && timingSafeEqual(Buffer.from(recorded), Buffer.from(actual));
  return same ? { ok: true } : { ok: false, recorded, actual };
}

/** "90s", "30m", "1h", "2d" or a bare number of minutes → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw new UsageError(`--max-age: "${text}" is not a duration like 30m, 1h or 90s`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'm') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(n * unit);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Clocks of the planning and applying machines may differ a little; more than this is refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export type Staleness = { ok: true; ageMs: number } | { ok: false; ageMs: number; reason: string };

/** A plan may be applied only while it is younger than `maxAgeMs` (and not from the future). */
export function checkStaleness(createdAt: string, now: Date, maxAgeMs: number): Staleness {
  const t = Date.parse(createdAt);
  if (Number.isNaN(t)) return { ok: false, ageMs: NaN, reason: `the plan's createdAt "${createdAt}" is not a time` };
  const ageMs = now.getTime() - t;
  if (ageMs < -CLOCK_SKEW_MS) return { ok: false, ageMs, reason: `the plan was created ${formatDuration(-ageMs)} in the future (${createdAt}); check the clocks` };
  if (ageMs > maxAgeMs) return { ok: false, ageMs, reason: `the plan is ${formatDuration(ageMs)} old, older than the limit of ${formatDuration(maxAgeMs)}: make a new plan` };
  return { ok: true, ageMs };
}

export const DEFAULT_MAX_ROWS = 10;

export type CapCheck = { ok: true } | { ok: false; reason: string };

/** The blast-radius cap: the number of rows a plan removes may not exceed maxRows. */
export function checkCap(rowCount: number, maxRows: number): CapCheck {
  if (rowCount > maxRows) {
    return { ok: false, reason: `the plan removes ${rowCount} rows, more than --max-rows ${maxRows}; review it and pass a larger --max-rows explicitly if that is intended` };
  }
  return { ok: true };
}

export function parseMaxRows(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--max-rows: "${text}" is not a whole number`);
  const n = Number(text);
  if (n < 1) throw new UsageError('--max-rows must be at least 1');
  return n;
}

/** "<name> <ticket>": who approved and under which ticket, both required. */
export function parseApprover(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const v = text.trim().replace(/\s+/g, ' ');
  if (!/^\S+( \S+)*? \S+$/.test(v) || v.split(' ').length < 2) {
    throw new UsageError(`--approved-by: expected "<name> <ticket>" (e.g. "Jane Roe OPS-1234"), got "${text}"`);
  }
  if ([...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) throw new UsageError('--approved-by: control characters are not allowed');
  return v;
}
