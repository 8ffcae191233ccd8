// The `remediate` command group: list, plan, apply, restore. Wired into src/cli.ts with one line:
//   registerRemediate(program, setExit);
import type { Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { sanitizeTerminal } from '../report/console.js';
import { ACTION_INFO } from './actions/index.js';
import { applyCommand, DEFAULT_MAX_AGE, type ApplyOptions } from './apply.js';
import { DEFAULT_MAX_ROWS } from './guard.js';
import { processIo, type RemediateIo } from './io.js';
import { planCommand, type PlanOptions } from './plan.js';
import { restoreCommand, type RestoreOptions } from './restore.js';

function listCommand(json: boolean, io: RemediateIo): number {
  if (json) {
    io.out(`${JSON.stringify(ACTION_INFO, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const a of ACTION_INFO) {
    lines.push(`${a.usage}`, `  ${a.description}`, `  touches:     ${a.touches.join('; ')}`, `  permissions: ${a.permissions.join(', ')}`);
    if (a.database.length > 0) lines.push(`  database:    ${a.database.join('; ')} on the two edgi tables`);
    lines.push(`  re-check:    ${a.recheck}`, '');
  }
  lines.push(
    'Guard: plan (read-only) → review → apply <plan> --confirm --approved-by "<name> <ticket>" → re-check.',
    'Exit codes: 0 done and re-check passes · 1 refused or failed · 2 usage · 3 confirmation required · 4 applied but re-check still fails.',
  );
  io.out(sanitizeTerminal(`${lines.join('\n')}\n`));
  return EXIT.ok;
}

const common = (cmd: Command) =>
  cmd
    .option('-c, --config <file>', 'configuration file', 'askedgi-doctor.yaml')
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator); default: config endpoint or AWS_ENDPOINT_URL')
    .option('--profile <name>', 'AWS profile for the SDK credential chain (sets AWS_PROFILE)')
    .option('--region <region>', 'AWS region of the deployment (overrides the config region and AWS_REGION)')
    .option('-o, --out <dir>', 'directory for plans/, backups/ and audit.jsonl', 'reports')
    .option('--audit-log <file>', 'append-only audit log (JSON lines); default <out>/audit.jsonl');

/** Usage errors go on to the CLI (exit 2); anything else unexpected is reported in one line, exit 1. */
async function guarded(io: RemediateIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.err(sanitizeTerminal(`askedgi-doctor remediate: ${err instanceof Error ? err.message : String(err)}\n`));
    return EXIT.findings;
  }
}

export function registerRemediate(program: Command, setExit: (code: number) => void, io: RemediateIo = processIo): void {
  const group = program
    .command('remediate')
    .description('Guarded repairs (runbook step 10 workspace reset, redeploy the latest revision): plan, then apply only with --confirm and an approver; backup, audit log, restore.');

  group
    .command('list')
    .description('List the remediation actions, what each touches and the permissions it needs.')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => setExit(listCommand(Boolean(opts.json), io)));

  common(
    group
      .command('plan <action>')
      .description('Write a plan file (reports/plans/<time>-<action>.json) of exactly what apply would change. Read-only.')
      .option('--user <id|email>', 'reset-workspace: the OvalEdge user whose workspace to reset')
      .option('--all', "reset-workspace: every row of both tables (the runbook's whole-table reset); needs --max-rows")
      .option('--service <kind>', 'redeploy-latest: insight, ui or job')
      .option('--max-rows <n>', `blast-radius cap: most rows the plan may remove (default ${DEFAULT_MAX_ROWS}; required with --all)`),
  ).action(async (action: string, opts: PlanOptions) => setExit(await guarded(io, () => planCommand(action, opts, io))));

  common(
    group
      .command('apply <plan>')
      .description('Apply a plan. Without --confirm and --approved-by it prints the plan, changes nothing and exits 3; it never prompts.')
      .option('--confirm', 'really make the change')
      .option('--approved-by <approver>', 'who approved it and the ticket: "<name> <ticket>"')
      .option('--max-rows <n>', `blast-radius cap (default ${DEFAULT_MAX_ROWS})`)
      .option('--max-age <duration>', `refuse plans older than this (e.g. 30m, 1h; default ${DEFAULT_MAX_AGE})`)
      .option('--wait-timeout <duration>', 'how long to wait for each Cloud Map operation (default 120s)'),
  ).action(async (plan: string, opts: ApplyOptions) => setExit(await guarded(io, () => applyCommand(plan, opts, io))));

  common(
    group
      .command('restore <backup>')
      .description('Put back what an apply removed or changed, from its backup file. Needs --confirm and --approved-by like apply.')
      .option('--confirm', 'really make the change')
      .option('--approved-by <approver>', 'who approved it and the ticket: "<name> <ticket>"')
      .option('--wait-timeout <duration>', 'how long to wait for each Cloud Map operation (default 120s)'),
  ).action(async (backup: string, opts: RestoreOptions) => setExit(await guarded(io, () => restoreCommand(backup, opts, io))));
}
