import type { Config } from '../config/schema.js';
import { InventoryError, type Inventory } from '../inventory/types.js';
import { worstStatus, type CheckResult, type Finding } from '../model.js';
import { defaultRunContext, type Check, type RunContext } from './check.js';

/**
 * Run checks concurrently, each after the checks it needs. A check whose prerequisite failed or
 * errored is `skip` "because <id> failed", naming the root cause so it is reported once.
 */
export async function runChecks(checks: readonly Check[], inv: Inventory, cfg: Config, ctx: RunContext = defaultRunContext()): Promise<CheckResult[]> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const running = new Map<string, Promise<{ result: CheckResult; rootCause?: string }>>();

  const start = (check: Check): Promise<{ result: CheckResult; rootCause?: string }> => {
    let p = running.get(check.id);
    if (p) return p;
    p = (async () => {
      const needed = (check.needs ?? []).filter((id) => byId.has(id));
      const prerequisites = await Promise.all(needed.map((id) => start(byId.get(id)!)));
      const broken = prerequisites.find((p) => p.result.status === 'fail' || p.result.status === 'error' || p.rootCause);
      const t0 = performance.now();
      let findings: Finding[];
      let rootCause: string | undefined;
      if (broken) {
        rootCause = broken.rootCause ?? broken.result.id;
        findings = [{ status: 'skip', message: `Not run because ${rootCause} failed.` }];
      } else {
        findings = await runOne(check, inv, cfg, ctx);
      }
      const result: CheckResult = {
        id: check.id,
        title: check.title,
        step: check.step,
        severity: check.severity,
        status: worstStatus(findings),
        findings,
        remediation: check.remediation,
        durationMs: Math.round(performance.now() - t0),
        ...(check.source ? { source: check.source } : {}),
      };
      return { result, rootCause };
    })();
    running.set(check.id, p);
    return p;
  };

  const done = await Promise.all(checks.map(start));
  return done.map((d) => d.result).sort((a, b) => a.step - b.step || checks.indexOf(byId.get(a.id)!) - checks.indexOf(byId.get(b.id)!));
}

async function runOne(check: Check, inv: Inventory, cfg: Config, ctx: RunContext): Promise<Finding[]> {
  try {
    const findings = await check.run(inv, cfg, ctx);
    if (findings.length === 0) {
      return [{ status: 'error', message: `Check ${check.id} produced no finding; nothing was verified.` }];
    }
    return findings;
  } catch (err) {
    if (err instanceof InventoryError) {
      // Only a denial is about a permission; a transport error, a timeout or a wrong password is not.
      return [{ status: 'error', message: err.message, resource: err.resource, ...(err.kind === 'access-denied' ? { expected: `permission ${err.action}` } : {}) }];
    }
    const msg = err instanceof Error ? err.message : String(err);
    return [{ status: 'error', message: `Check ${check.id} crashed: ${msg}` }];
  }
}
