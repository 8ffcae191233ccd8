import type { Config } from '../config/schema.js';
import { InventoryError, type Inventory } from '../inventory/types.js';
import { worstStatus, type CheckResult, type Finding } from '../model.js';
import { asCheck, inventoryErrorFinding, resolverEdges, Unresolved } from '../resolve/core.js';
import { dependencyGraph, type DependencyGraph } from '../resolve/graph.js';
import { markAbandoned } from './abandoned.js';
import { defaultRunContext, type Check, type RunContext } from './check.js';
import { identify, INVENTORY_ERROR_CODES } from './finding.js';

/** How long one check may take before it is stopped and reported as `error` (plugins that never settle). */
export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;

/**
 * Finding kinds (Finding.code) the runner itself writes for any check, built-in or plugin: stopped
 * after its own time limit, or still running when the whole run reached its ceiling.
 */
export const RUNNER_CODES = ['check-timeout', 'run-ceiling'] as const;

interface Outcome {
  result: CheckResult;
  rootCause?: string;
}

/**
 * Run checks concurrently. A check that calls a resolver whose root check failed is `skip` "because
 * <root> failed", naming the root cause so it is reported once; run without that root, it reports
 * the root's reason as `error` (it cannot read what it verifies). Plugin checks may still declare
 * `needs`: they start after those checks and skip when one failed.
 */
export async function runChecksWithGraph(
  checks: readonly Check[],
  inv: Inventory,
  cfg: Config,
  ctx: RunContext = defaultRunContext(),
): Promise<{ results: CheckResult[]; graph: DependencyGraph }> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const running = new Map<string, Promise<Outcome>>();
  const uses = new Map<string, Set<string>>();
  const record = (checkId: string, resolverId: string) => {
    let s = uses.get(checkId);
    if (!s) uses.set(checkId, (s = new Set()));
    s.add(resolverId);
  };

  // The whole run's ceiling (RunContext.runTimeoutMs): one timer, raced by every check still running.
  // Referenced, so the run waits for it; handled here so a ceiling nobody races is no unhandled rejection.
  let ceilingTimer: NodeJS.Timeout | undefined;
  const ceilingMs = ctx.runTimeoutMs;
  const ceiling =
    ceilingMs === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          ceilingTimer = setTimeout(() => reject(new RunCeiling(ceilingMs)), Math.max(0, ceilingMs));
        });
  ceiling?.catch(() => undefined);

  const start = (check: Check): Promise<Outcome> => {
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
        findings = [{ status: 'skip', code: 'not-run', message: `Not run because ${rootCause} failed.` }];
      } else {
        ctx.progress?.onStart?.(check.id);
        const outcome = await runOne(check, inv, cfg, ctx, byId, record, ceiling);
        findings = outcome.findings;
        rootCause = outcome.rootCause;
      }
      // Reports carry every code qualified by its check: `<check-id>/<kind>`, with a fingerprint.
      findings = findings.map((f) => identify(check.id, f));
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
      ctx.progress?.onDone?.(result);
      return { result, rootCause };
    })();
    running.set(check.id, p);
    return p;
  };

  let done: Outcome[];
  try {
    done = await Promise.all(checks.map(start));
  } finally {
    clearTimeout(ceilingTimer);
  }
  const results = done.map((d) => d.result).sort((a, b) => a.step - b.step || checks.indexOf(byId.get(a.id)!) - checks.indexOf(byId.get(b.id)!));
  return { results, graph: dependencyGraph(checks, uses, resolverEdges(inv, cfg)) };
}

export async function runChecks(checks: readonly Check[], inv: Inventory, cfg: Config, ctx: RunContext = defaultRunContext()): Promise<CheckResult[]> {
  return (await runChecksWithGraph(checks, inv, cfg, ctx)).results;
}

async function runOne(
  check: Check,
  inv: Inventory,
  cfg: Config,
  ctx: RunContext,
  selected: ReadonlyMap<string, Check>,
  record: (checkId: string, resolverId: string) => void,
  ceiling?: Promise<never>,
): Promise<{ findings: Finding[]; rootCause?: string }> {
  const limitMs = ctx.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: the run must wait for this timer, or Node would leave on an unsettled await.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(limitMs)), limitMs);
  });
  const t0 = performance.now();
  try {
    const findings = await Promise.race([asCheck(check.id, record, () => check.run(inv, cfg, ctx)), timeout, ...(ceiling ? [ceiling] : [])]);
    if (!Array.isArray(findings) || findings.length === 0) {
      return { findings: [{ status: 'error', code: 'no-finding', message: `Check ${check.id} produced no finding; nothing was verified.` }] };
    }
    return { findings };
  } catch (err) {
    if (err instanceof Unresolved) {
      if (err.root === check.id) return { findings: err.findings };
      if (selected.has(err.root)) return { findings: [{ status: 'skip', code: 'not-run', message: err.message }], rootCause: err.root };
      return { findings: asErrors(err.findings, err.root) };
    }
    if (err instanceof InventoryError) return { findings: [inventoryErrorFinding(err)] };
    if (err instanceof CheckTimeout || err instanceof RunCeiling) {
      // The check's own work may still hold a timer or a socket: the CLI exits after the reports.
      markAbandoned();
      return { findings: [stoppedFinding(check.id, err, performance.now() - t0)] };
    }
    const msg = err instanceof Error ? err.message : String(err);
    return { findings: [{ status: 'error', code: 'crashed', message: `Check ${check.id} crashed: ${msg}` }] };
  } finally {
    clearTimeout(timer);
  }
}

class CheckTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`timed out after ${limitMs} ms`);
  }
}

class RunCeiling extends Error {
  constructor(readonly limitMs: number) {
    super(`run ceiling of ${limitMs} ms reached`);
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A check the runner stopped: its own time limit, or the whole run's ceiling (it ran `elapsedMs`). */
function stoppedFinding(checkId: string, err: CheckTimeout | RunCeiling, elapsedMs: number): Finding {
  if (err instanceof CheckTimeout) {
    return {
      status: 'error',
      code: 'check-timeout',
      message: `Check ${checkId} did not finish within ${seconds(err.limitMs)} (checks.timeoutSeconds, --check-timeout) and was stopped; nothing was verified.`,
      expected: `a result within ${seconds(err.limitMs)}`,
      found: 'no result',
    };
  }
  return {
    status: 'error',
    code: 'run-ceiling',
    message: `Check ${checkId} was still running after ${seconds(elapsedMs)} when the run reached its ceiling (checks.runTimeoutSeconds, --timeout) and was stopped; nothing was verified.`,
    expected: 'a result before the run ceiling',
    found: 'no result',
  };
}

/**
 * What a root reports, as the dependent's own `error`: it could not read what it verifies. An inventory
 * error keeps its kind (access-denied, …); anything else is `unresolved`.
 */
function asErrors(findings: readonly Finding[], root: string): Finding[] {
  const failing = findings.filter((f) => f.status === 'fail' || f.status === 'error');
  if (failing.length === 0) return [{ status: 'error', code: 'unresolved', message: `What this check reads could not be resolved (see ${root}).` }];
  return failing.map((f) => ({ ...f, status: 'error', code: f.code !== undefined && INVENTORY_ERROR_CODES.includes(f.code as never) ? f.code : 'unresolved' }));
}
