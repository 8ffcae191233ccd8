// askedgi-doctor diagnose workspace --user <id|email>: runbook step 10, "If Workspace is Not Created".
import { CHECKS } from '../checks/index.js';
import { loadConfig } from '../config/load.js';
import { envRef, withWorkspaceUser } from '../config/resolve.js';
import { diagnoseWorkspace, renderDiagnosis, WORKSPACE_DIAGNOSIS_CHECKS } from '../diagnose/workspace.js';
import { runChecks } from '../engine/runner.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { openInventory } from '../inventory/open.js';
import { sanitizeTerminal } from '../report/console.js';
import { applyAwsTarget, preflight, withRegion, type AwsTargetOptions } from './aws-target.js';
import { writeOut } from './output.js';

export interface DiagnoseOptions extends AwsTargetOptions {
  config: string;
  user: string;
  out: string;
  endpoint?: string;
  smoke: boolean;
  json?: boolean;
}

export async function diagnoseCommand(what: string, opts: DiagnoseOptions): Promise<ExitCode> {
  if (what !== 'workspace') throw new UsageError(`unknown diagnosis "${what}": expected workspace`);
  applyAwsTarget(opts);
  const cfg = withWorkspaceUser(withRegion(loadConfig(opts.config, {}), opts), opts.user);
  const checks = CHECKS.filter((c) => (WORKSPACE_DIAGNOSIS_CHECKS as readonly string[]).includes(c.id));
  const { inventory, target } = openInventory(cfg, { endpoint: opts.endpoint });
  try {
    await preflight(inventory, target.region);
    // The browser check logs in as the smoke user: it speaks for this workspace only when that is the user asked about.
    const smokeUser = cfg.smoke ? envRef(cfg.smoke.username, process.env) : undefined;
    const smokeDisabled = !opts.smoke ? 'left out by --no-smoke' : smokeUser && smokeUser !== opts.user ? `the smoke login is ${smokeUser}, not ${opts.user}` : undefined;
    const results = await runChecks(checks, inventory, cfg, { outDir: opts.out, env: process.env, ...(smokeDisabled ? { smokeDisabled } : {}) });
    const diagnosis = diagnoseWorkspace(results, opts.user);
    await writeOut(opts.json ? `${JSON.stringify(diagnosis, null, 2)}\n` : sanitizeTerminal(renderDiagnosis(diagnosis)));
    return diagnosis.healthy ? EXIT.ok : EXIT.findings;
  } finally {
    inventory.destroy();
  }
}
