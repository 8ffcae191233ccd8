import type { InventoryErrorKind } from '../inventory/types.js';
import type { Finding } from '../model.js';

// Small constructors so checks read as statements of fact.
type Extra = Omit<Finding, 'status' | 'message'>;

export const pass = (message: string, extra: Extra = {}): Finding => ({ status: 'pass', message, ...extra });
export const fail = (message: string, extra: Extra = {}): Finding => ({ status: 'fail', message, ...extra });
export const warn = (message: string, extra: Extra = {}): Finding => ({ status: 'warn', message, ...extra });
export const error = (message: string, extra: Extra = {}): Finding => ({ status: 'error', message, ...extra });
export const skip = (message: string, extra: Extra = {}): Finding => ({ status: 'skip', message, ...extra });

// --- identity (README "Reports": code and fingerprint) ------------------------------------------

/** The kinds of an inventory read that failed (src/inventory/types.ts): any check can report them. */
export const INVENTORY_ERROR_CODES = ['access-denied', 'throttled', 'unreachable', 'credentials', 'invalid', 'timeout', 'other'] as const satisfies readonly InventoryErrorKind[];

/**
 * Kinds the engine writes for any check: `not-run` (skipped because a check it needs failed),
 * `unresolved` (what it reads could not be resolved by a check that was not run), `crashed`,
 * `check-timeout` (its own time limit), `run-ceiling` (the whole run's ceiling), `no-finding`, `invalid-findings` (a plugin returned something that is not findings),
 * `unspecified` (a plugin's non-pass finding without a code), and the inventory error kinds.
 */
export const ENGINE_CODES: readonly string[] = ['not-run', 'unresolved', 'crashed', 'check-timeout', 'run-ceiling', 'no-finding', 'invalid-findings', 'unspecified', ...INVENTORY_ERROR_CODES];

/** A local kind: kebab-case, e.g. 'missing-rule'. */
export const CODE_KIND = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `<code>@<resource>`, or the code alone when the finding names no resource. */
export const fingerprintFor = (code: string, resource: string | undefined): string => (resource !== undefined && resource !== '' ? `${code}@${resource}` : code);

/**
 * The finding as reports carry it: `code` qualified as `<check-id>/<kind>` and its `fingerprint`.
 * A non-pass finding without a kind gets `unspecified`; a pass finding without one stays as it is.
 * Applied once per finding, by the runner (and the waivers result).
 */
export function identify(checkId: string, f: Finding): Finding {
  if (f.code === undefined && f.status === 'pass') return f;
  const code = `${checkId}/${f.code ?? 'unspecified'}`;
  return { ...f, code, fingerprint: fingerprintFor(code, f.resource) };
}

/** The local kind of a qualified code (`edgi-sg-ingress-rds/missing-rule` → `missing-rule`). */
export const kindOf = (code: string): string => code.slice(code.indexOf('/') + 1);
