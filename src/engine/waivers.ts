// Waivers (InSpec/Trivy style), applied in ONE place after the runner: a matching non-pass finding
// (fail, warn, error) becomes `waived`, its message saying why, who approved it and how many days
// are left; the check's status is recomputed from its findings. `waived` never counts for the exit
// code. Waivers that need attention are reported in one synthetic result, `waivers` (step 0, low):
// an expired waiver waives nothing and is a `warn` there; a current waiver that matches no finding
// of a check that ran is `stale` (also `warn`). With nothing to say, no synthetic result is added.
import type { Waiver } from '../config/schema.js';
import { worstStatus, type CheckResult, type Finding } from '../model.js';
import { identify } from './finding.js';

export const WAIVERS_RESULT_ID = 'waivers';
/** The kinds the synthetic `waivers` result reports (`waivers/expired`, `waivers/stale`). */
export const WAIVERS_CODES = ['expired', 'stale'] as const;

const WAIVABLE = new Set(['fail', 'warn', 'error']);
const DAY_MS = 86_400_000;

/** Midnight UTC of a YYYY-MM-DD date. */
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const today = (now: Date): number => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** Days until the waiver's last day (0 on the last day itself); negative once expired. */
export function daysLeft(w: Pick<Waiver, 'expires'>, now: Date): number {
  return Math.round((dayOf(w.expires) - today(now)) / DAY_MS);
}

export const isActive = (w: Pick<Waiver, 'expires'>, now: Date): boolean => daysLeft(w, now) >= 0;

/** Exact, or a glob in which * matches any run of characters (nothing else is special). */
export function resourceMatches(pattern: string | undefined, resource: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (resource === undefined) return false;
  if (!pattern.includes('*')) return pattern === resource;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(resource);
}

/** How a waiver is named in messages: check, and resource when it has one. */
export const waiverLabel = (w: Waiver): string => `${w.check}${w.resource ? ` (resource ${w.resource})` : ''}`;

/** The sentence a waived finding carries: reason, approver, expiry and days left. */
export function waiverNote(w: Waiver, now: Date): string {
  const left = daysLeft(w, now);
  return `Waived: ${w.reason.replace(/\.$/, '')} (approved by ${w.approvedBy}; expires ${w.expires}, ${left === 0 ? 'last day today' : `${left} day${left === 1 ? '' : 's'} left`}).`;
}

export interface WaiverOutcome {
  results: CheckResult[];
  /** Per waiver, in config order: how many findings it waived, and whether it was expired. */
  usage: Array<{ waiver: Waiver; waived: number; expired: boolean }>;
}

/** Applies the waivers to the runner's results; returns new results (the input is not changed). */
export function applyWaivers(results: readonly CheckResult[], waivers: readonly Waiver[], now: Date = new Date()): WaiverOutcome {
  const usage = waivers.map((waiver) => ({ waiver, waived: 0, expired: !isActive(waiver, now) }));
  const out = results.map((r) => {
    const mine = usage.filter((u) => !u.expired && u.waiver.check === r.id);
    if (mine.length === 0) return r;
    let changed = false;
    const findings = r.findings.map((f): Finding => {
      if (!WAIVABLE.has(f.status)) return f;
      const u = mine.find((x) => resourceMatches(x.waiver.resource, f.resource));
      if (!u) return f;
      u.waived += 1;
      changed = true;
      return { ...f, status: 'waived', message: `${f.message} ${waiverNote(u.waiver, now)}` };
    });
    return changed ? { ...r, findings, status: worstStatus(findings) } : r;
  });
  const ran = new Set(results.map((r) => r.id));
  const notes: Finding[] = [];
  for (const u of usage) {
    if (u.expired) {
      const ago = -daysLeft(u.waiver, now);
      notes.push({
        status: 'warn',
        code: 'expired',
        message: `The waiver of ${waiverLabel(u.waiver)} expired on ${u.waiver.expires} (${ago} day${ago === 1 ? '' : 's'} ago) and waives nothing any more: renew it with a new approval, or remove it. It was: ${u.waiver.reason.replace(/\.$/, '')} (approved by ${u.waiver.approvedBy}).`,
        expected: `expires on or after today`,
        found: `expires ${u.waiver.expires}`,
      });
    } else if (u.waived === 0 && ran.has(u.waiver.check)) {
      notes.push({
        status: 'warn',
        code: 'stale',
        message: `The waiver of ${waiverLabel(u.waiver)} is stale: it matches no failing, erroring or warning finding of that check (fixed, or the resource is named otherwise); remove it.`,
        expected: 'a non-pass finding to waive',
        found: 'none',
      });
    }
  }
  if (notes.length === 0) return { results: out, usage };
  const synthetic: CheckResult = {
    id: WAIVERS_RESULT_ID,
    title: 'Waivers in the config are current and each still matches a finding',
    step: 0,
    severity: 'low',
    status: worstStatus(notes),
    findings: notes.map((f) => identify(WAIVERS_RESULT_ID, f)),
    remediation: 'Renew an expired waiver with a new approval and expiry date, or remove it; remove a waiver that matches nothing.',
    durationMs: 0,
  };
  return { results: [...out, synthetic], usage };
}
