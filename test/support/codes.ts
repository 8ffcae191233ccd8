// Every finding a test run produces must carry a code its check documents (README "Reports"):
// the helpers that run checks call expectDocumentedCodes on what they return.
import { ENGINE_CODES } from '../../src/engine/finding.js';
import type { Check } from '../../src/engine/check.js';
import type { CheckResult } from '../../src/model.js';


/** The problems: a non-pass finding without code, a code not `<check-id>/<kind>`, a kind the check does not list. */
export function undocumentedCodes(results: readonly CheckResult[], checks: readonly Check[]): string[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const problems: string[] = [];
  for (const r of results) {
    const check = byId.get(r.id);
    if (!check) continue;
    const allowed = new Set([...(check.codes ?? []), ...ENGINE_CODES]);
    for (const f of r.findings) {
      if (f.code === undefined) {
        if (f.status !== 'pass') problems.push(`${r.id}: ${f.status} finding without code: ${f.message}`);
        continue;
      }
      const prefix = `${r.id}/`;
      if (!f.code.startsWith(prefix)) problems.push(`${r.id}: code ${f.code} is not qualified by the check id`);
      else if (!allowed.has(f.code.slice(prefix.length))) problems.push(`${r.id}: code ${f.code} is not in the check's codes (${[...(check.codes ?? [])].join(', ') || 'none'})`);
      const want = f.resource !== undefined && f.resource !== '' ? `${f.code}@${f.resource}` : f.code;
      if (f.fingerprint !== want) problems.push(`${r.id}: fingerprint ${String(f.fingerprint)} is not ${want}`);
    }
  }
  return problems;
}

/** Throws listing every undocumented code, so a test that runs checks fails on one. */
export function expectDocumentedCodes<T extends readonly CheckResult[]>(results: T, checks: readonly Check[]): T {
  const problems = undocumentedCodes(results, checks);
  if (problems.length > 0) throw new Error(`Findings with undocumented codes:\n${problems.join('\n')}`);
  return results;
}
