import type { Config } from '../config/schema.js';
import type { Inventory } from '../inventory/types.js';
import type { CheckResult, Finding, Severity } from '../model.js';

/** What a run knows beyond the inventory and the config. */
export interface RunContext {
  /** Where report files go (the smoke test writes its screenshots below it). */
  outDir: string;
  /** Why the browser smoke test is not run (--no-smoke); undefined when it may run. */
  smokeDisabled?: string;
  /** Why the browser smoke test uploads nothing (--no-upload); undefined when it may upload. */
  uploadDisabled?: string;
  /** Environment for env:NAME references (defaults to process.env). */
  env: NodeJS.ProcessEnv;
  /** The doctor runs inside the deployment's VPC (--in-vpc): private endpoints are reachable. */
  inVpc?: boolean;
  /** How long one check may run before it is stopped and reported as `error` (default 120 s). */
  checkTimeoutMs?: number;
  /**
   * The ceiling of the checks phase (checks.runTimeoutSeconds less what the run already spent): checks
   * still running then are `error` (`run-ceiling`). None when undefined.
   */
  runTimeoutMs?: number;
  /** Told as checks start and finish (the live progress line on a TTY, src/report/progress.ts). */
  progress?: Progress;
}

/** Hooks the runner (and long checks) call while a run goes on; every one is optional and must not throw. */
export interface Progress {
  /** A check starts running (after the checks it needs). */
  onStart?(checkId: string): void;
  /** A check has its result. */
  onDone?(result: CheckResult): void;
  /** A long check reached a step of its own (the browser smoke test: "login", "upload", …). */
  onStep?(checkId: string, step: string): void;
}

export const defaultRunContext = (): RunContext => ({ outDir: 'reports', env: process.env });

/** One runbook verification. `id` is kebab-case, equals the file name and never changes. */
export interface Check {
  id: string;
  /** The healthy state, e.g. "Insight subnets are private". */
  title: string;
  /** Runbook step 0–10. */
  step: number;
  severity: Severity;
  /** What to do when it fails, in the runbook's terms. */
  remediation: string;
  /** Checks whose fail or error makes this one skip "because <id> failed". */
  needs?: string[];
  /** IAM actions it reads with (feeds `explain` and `iam-policy`). */
  permissions: string[];
  /**
   * Every finding kind (Finding.code) this check can report, e.g. ['missing-rule', 'rule-too-open'];
   * `explain` lists them and reports qualify them as `<check-id>/<kind>`. Every non-pass finding
   * a check writes carries one of these.
   */
  codes?: readonly string[];
  /** Where a plugin check came from (its checks.modules entry); absent for built-in checks. */
  source?: string;
  run(inv: Inventory, cfg: Config, ctx?: RunContext): Promise<Finding[]>;
}
