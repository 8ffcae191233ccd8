import type { Config } from '../config/schema.js';
import type { Inventory } from '../inventory/types.js';
import type { Finding, Severity } from '../model.js';

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
  run(inv: Inventory, cfg: Config): Promise<Finding[]>;
}
