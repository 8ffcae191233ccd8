// commander wiring and exit codes only.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { CHECKS } from './checks/index.js';
import { loadConfig, unknownCheckIds } from './config/load.js';
import type { Config } from './config/schema.js';
import { loadPluginChecks } from './engine/plugins.js';
import type { Check } from './engine/check.js';
import { runChecks } from './engine/runner.js';
import { diagnoseWorkspace, renderDiagnosis, WORKSPACE_DIAGNOSIS_CHECKS } from './diagnose/workspace.js';
import { ConfigError, EXIT, UsageError } from './errors.js';
import { configActions, remediatePolicy, runPolicy } from './iam-policy.js';
import { registerRemediate } from './remediate/cli.js';
import { databaseAccess } from './inventory/db-connect.js';
import { LiveInventory } from './inventory/live.js';
import type { Report, Status } from './model.js';
import { buildReport } from './report/build.js';
import { sanitizeTerminal } from './report/console.js';
import { applyBaseline, gatingFindings, loadBaseline } from './report/baseline.js';
import { REPORT_FORMATS, writeReports } from './report/write.js';
import { STEP_WHY, stepName } from './report/steps.js';
import { quietNodeVersionWarning } from './quiet.js';
import { VERSION } from './version.js';

quietNodeVersionWarning();

const FORMATS = REPORT_FORMATS;
type Format = (typeof FORMATS)[number];
const DEFAULT_FORMATS: Format[] = ['console', 'json', 'junit', 'html'];
const FAIL_ON = ['warn', 'fail', 'error', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];
const FAILING: Record<FailOn, Status[]> = { warn: ['warn', 'fail', 'error'], fail: ['fail', 'error'], error: ['error'], none: [] };

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function selectChecks(all: readonly Check[], only: string[] | undefined, skip: string[]): Check[] {
  const known = all.map((c) => c.id);
  const unknown = [...(only ?? []), ...skip].filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new UsageError(`unknown check id(s): ${unknown.join(', ')} (see askedgi-doctor list)`);
  return all.filter((c) => (!only || only.length === 0 || only.includes(c.id)) && !skip.includes(c.id));
}

/** The config and the whole catalog: built-in checks plus the config's plugin modules. */
async function loadSetup(file: string): Promise<{ cfg: Config; checks: Check[] }> {
  const cfg = loadConfig(file, {});
  const plugins = await loadPluginChecks(cfg.checks.modules, file, CHECKS);
  const checks = [...CHECKS, ...plugins];
  const problems = unknownCheckIds(cfg, checks.map((c) => c.id));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { cfg, checks };
}

/** For list, explain and iam-policy: the catalog with the config's plugins when a config is there. */
async function catalog(file: string | undefined): Promise<Check[]> {
  return (await optionalSetup(file)).checks;
}

async function optionalSetup(file: string | undefined): Promise<{ cfg?: Config; checks: Check[] }> {
  if (file === undefined && !existsSync('askedgi-doctor.yaml')) return { checks: [...CHECKS] };
  return loadSetup(file ?? 'askedgi-doctor.yaml');
}

function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

interface RunOptions {
  config: string;
  only?: string[];
  skip?: string[];
  failOn: FailOn;
  out: string;
  format: Format[];
  endpoint?: string;
  verbose?: boolean;
  /** commander's --no-smoke / --no-db: false when left out. */
  smoke: boolean;
  db: boolean;
  inVpc?: boolean;
  baseline?: string;
  failOnNew?: boolean;
}

async function runCommand(opts: RunOptions): Promise<number> {
  if (opts.failOnNew && !opts.baseline) throw new UsageError('--fail-on-new needs --baseline <previous askedgi-doctor.json>');
  const baseline = opts.baseline ? loadBaseline(opts.baseline) : undefined;
  const setup = await loadSetup(opts.config);
  const { cfg } = setup;
  const checks = selectChecks(setup.checks, opts.only ?? cfg.checks.only, [...(opts.skip ?? []), ...cfg.checks.skip]);
  const endpoint = opts.endpoint ?? cfg.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
  const inventory = new LiveInventory({ region: cfg.region!, endpoint, database: databaseAccess(cfg, process.env, opts.db ? undefined : 'left out by --no-db') });
  const ctx = { outDir: opts.out, env: process.env, ...(opts.inVpc ? { inVpc: true } : {}), ...(opts.smoke ? {} : { smokeDisabled: 'left out by --no-smoke' }) };
  const startedAt = new Date();
  const t0 = performance.now();
  let report: Report;
  try {
    const results = await runChecks(checks, inventory, cfg, ctx);
    report = await buildReport({
      results,
      inventory,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      target: { region: cfg.region!, cluster: cfg.cluster, ...(endpoint ? { endpoint } : {}) },
    });
  } finally {
    inventory.destroy();
  }
  if (baseline && opts.baseline) report = applyBaseline(report, baseline, opts.baseline);
  const written = writeReports(report, { formats: opts.format, outDir: opts.out, color: useColor(), verbose: opts.verbose, hostname: hostname() }).files;
  if (written.length > 0) process.stderr.write(`Reports written: ${written.join(', ')}\n`);
  return gatingFindings(report, FAILING[opts.failOn], Boolean(opts.failOnNew)).length > 0 ? EXIT.findings : EXIT.ok;
}

interface DiagnoseOptions {
  config: string;
  user: string;
  out: string;
  endpoint?: string;
  smoke: boolean;
  json?: boolean;
}

async function diagnoseCommand(what: string, opts: DiagnoseOptions): Promise<number> {
  if (what !== 'workspace') throw new UsageError(`unknown diagnosis "${what}": expected workspace`);
  const cfg = loadConfig(opts.config, {});
  cfg.workspace.user = opts.user;
  const checks = CHECKS.filter((c) => (WORKSPACE_DIAGNOSIS_CHECKS as readonly string[]).includes(c.id));
  const endpoint = opts.endpoint ?? cfg.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
  const inventory = new LiveInventory({ region: cfg.region!, endpoint, database: databaseAccess(cfg, process.env) });
  try {
    // The browser check logs in as the smoke user: it speaks for this workspace only when that is the user asked about.
    const smokeUser = cfg.smoke ? process.env[cfg.smoke.username.replace(/^env:/, '')] : undefined;
    const smokeDisabled = !opts.smoke ? 'left out by --no-smoke' : smokeUser && smokeUser !== opts.user ? `the smoke login is ${smokeUser}, not ${opts.user}` : undefined;
    const results = await runChecks(checks, inventory, cfg, { outDir: opts.out, env: process.env, ...(smokeDisabled ? { smokeDisabled } : {}) });
    const diagnosis = diagnoseWorkspace(results, opts.user);
    process.stdout.write(opts.json ? `${JSON.stringify(diagnosis, null, 2)}\n` : sanitizeTerminal(renderDiagnosis(diagnosis)));
    return diagnosis.healthy ? EXIT.ok : EXIT.findings;
  } finally {
    inventory.destroy();
  }
}

const sourceOf = (c: Check) => c.source ?? 'built-in';

function listCommand(checks: readonly Check[], json: boolean): number {
  if (json) {
    const rows = checks.map((c) => ({ id: c.id, title: c.title, step: c.step, severity: c.severity, source: sourceOf(c), needs: c.needs ?? [], permissions: c.permissions, remediation: c.remediation }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...checks.map((c) => c.id.length));
  for (const c of checks) {
    const mark = c.source ? `  [plugin: ${c.source}]` : '';
    process.stdout.write(sanitizeTerminal(`step ${String(c.step).padStart(2)}  ${c.severity.padEnd(8)}  ${c.id.padEnd(width)}  ${c.title}${mark}\n`));
  }
  return EXIT.ok;
}

function explainCommand(checks: readonly Check[], id: string): number {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new UsageError(`unknown check id "${id}" (see askedgi-doctor list)`);
  const lines = [
    `${c.id} — ${c.title}`,
    `runbook step: ${c.step} — ${stepName(c.step)}`,
    `why:          ${STEP_WHY[c.step] ?? 'a deployment-specific rule.'}`,
    `severity:     ${c.severity}`,
    `source:       ${sourceOf(c)}`,
    `depends on:   ${c.needs?.join(', ') || 'nothing'}`,
    `permissions:  ${c.permissions.join(', ')}`,
    '',
    `how to fix:   ${c.remediation}`,
  ];
  process.stdout.write(sanitizeTerminal(`${lines.join('\n')}\n`));
  return EXIT.ok;
}

interface SandboxOptions {
  endpoint?: string;
  dir: string;
  region: string;
  withApp?: boolean;
}

/** `sandbox up --with-app`: the whole stack in the foreground until Ctrl-C (the app lives in this process). */
async function serveStack(endpoint: string, dir: string, region: string): Promise<number> {
  const { startSandboxStack, ADMIN_ENV_FILE } = await import('./sandbox/stack.js');
  const stack = await startSandboxStack({ endpoint, dir, region });
  process.stdout.write(
    [
      `Sandbox provisioned at ${endpoint}, MariaDB and the OvalEdge-like app at ${stack.baseUrl}.`,
      `Config: ${stack.configPath}`,
      `Secrets (database URL, admin login): source ${join(dir, ADMIN_ENV_FILE)} before askedgi-doctor run.`,
      'Press Ctrl-C to stop the app and MariaDB.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await stack.stop();
  return EXIT.ok;
}

async function sandboxCommand(action: string, fault: string | undefined, opts: SandboxOptions): Promise<number> {
  const { FAULTS, breakSandbox, sandboxDown, sandboxUp } = await import('./sandbox/faults/index.js');
  if (action === 'faults') {
    const width = Math.max(...FAULTS.map((f) => f.name.length));
    for (const f of FAULTS) process.stdout.write(`${f.name.padEnd(width)}  step ${f.step}  ${f.description}\n`);
    return EXIT.ok;
  }
  const endpoint = opts.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
  if (!endpoint) throw new UsageError('the sandbox needs an emulator endpoint: pass --endpoint http://127.0.0.1:<port> or set AWS_ENDPOINT_URL');
  const dir = resolve(opts.dir);
  switch (action) {
    case 'up': {
      if (opts.withApp) return serveStack(endpoint, dir, opts.region);
      await sandboxUp({ endpoint, outDir: dir, region: opts.region });
      process.stdout.write(`Sandbox provisioned at ${endpoint}; config written to ${join(dir, 'askedgi-doctor.yaml')}\n`);
      return EXIT.ok;
    }
    case 'break': {
      if (!fault) throw new UsageError('sandbox break needs a fault name (see askedgi-doctor sandbox faults)');
      if (!FAULTS.some((f) => f.name === fault)) throw new UsageError(`unknown fault "${fault}" (see askedgi-doctor sandbox faults)`);
      const applied = await breakSandbox(fault, { endpoint, outDir: dir });
      process.stdout.write(`Applied fault ${applied.name}: ${applied.description}\n`);
      return EXIT.ok;
    }
    case 'down':
      await sandboxDown(endpoint);
      process.stdout.write(`Sandbox removed from ${endpoint}\n`);
      return EXIT.ok;
    default:
      throw new UsageError(`unknown sandbox action "${action}": expected up, faults, break <fault> or down`);
  }
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('askedgi-doctor')
    .description('Verify, diagnose and (under guard) repair an AskEdgi ECS Variant-2 deployment on AWS.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(sanitizeTerminal(str)) });

  program
    .command('run')
    .description('Run every check of the runbook against the account (read-only) and write reports.')
    .option('-c, --config <file>', 'configuration file', 'askedgi-doctor.yaml')
    .option('--only <ids>', 'run only these check ids (comma-separated, repeatable)', list)
    .option('--skip <ids>', 'leave out these check ids (comma-separated, repeatable)', list)
    .addOption(new Option('--fail-on <status>', 'lowest status that makes the exit code 1').choices(FAIL_ON).default('fail'))
    .option('-o, --out <dir>', 'directory for report files', 'reports')
    .option('-f, --format <list>', `report formats, comma-separated: ${FORMATS.join(', ')}`, (v) => {
      const formats = v.split(',').map((s) => s.trim());
      const bad = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
      if (bad.length > 0) throw new UsageError(`--format: unknown format(s) ${bad.join(', ')}; expected ${FORMATS.join(', ')}`);
      return formats;
    }, [...DEFAULT_FORMATS])
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator); default: config endpoint or AWS_ENDPOINT_URL')
    .option('-v, --verbose', 'also list passing findings')
    .option('--no-smoke', 'leave out the browser smoke test (step 10)')
    .option('--no-db', 'leave out the database probes (step 10)')
    .option('--in-vpc', 'the doctor runs inside the deployment VPC: probe the private Insight endpoint and its Cloud Map instances (step 10)')
    .option('--baseline <file>', 'a previous askedgi-doctor.json: mark findings new or known and list the fixed ones')
    .option('--fail-on-new', 'with --baseline: exit 1 only for new findings at or above --fail-on')
    .action(async (opts: RunOptions) => setExit(await runCommand(opts)));

  program
    .command('list')
    .description('List the checks: runbook step, severity, id and the healthy state.')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'also list the plugin checks of this config (default: askedgi-doctor.yaml when present)')
    .action(async (opts: { json?: boolean; config?: string }) => setExit(listCommand(await catalog(opts.config), Boolean(opts.json))));

  program
    .command('explain <id>')
    .description('Explain a check: what it verifies, its runbook step, how to fix it and the permissions it needs.')
    .option('-c, --config <file>', 'also know the plugin checks of this config (default: askedgi-doctor.yaml when present)')
    .action(async (id: string, opts: { config?: string }) => setExit(explainCommand(await catalog(opts.config), id)));

  program
    .command('diagnose <what>')
    .description('Diagnose a workspace (runbook step 10, "If Workspace is Not Created"): verdict, evidence and the exact remediation command. Exit 0 when healthy, 1 otherwise.')
    .requiredOption('--user <id|email>', 'the OvalEdge user whose workspace to diagnose')
    .option('-c, --config <file>', 'configuration file', 'askedgi-doctor.yaml')
    .option('-o, --out <dir>', 'directory for screenshots of the browser check', 'reports')
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator); default: config endpoint or AWS_ENDPOINT_URL')
    .option('--no-smoke', 'leave out the browser check')
    .option('--json', 'print the diagnosis as JSON')
    .action(async (what: string, opts: DiagnoseOptions) => setExit(await diagnoseCommand(what, opts)));

  program
    .command('iam-policy')
    .description('Print the least-privilege IAM policy (JSON) that `run` needs: read-only actions only.')
    .option('--only <ids>', 'only for these check ids (comma-separated, repeatable)', list)
    .option('-c, --config <file>', 'include the plugin checks of this config (default: askedgi-doctor.yaml when present)')
    .option('--remediate', 'print the separate policy for `remediate` (its writes) instead')
    .action(async (opts: { only?: string[]; config?: string; remediate?: boolean }) => {
      const setup = opts.remediate ? undefined : await optionalSetup(opts.config);
      const policy = setup ? runPolicy(selectChecks(setup.checks, opts.only, []), configActions(setup.cfg)) : remediatePolicy();
      process.stdout.write(`${JSON.stringify(policy, null, 2)}\n`);
      setExit(EXIT.ok);
    });

  program
    .command('sandbox <action> [fault]')
    .description('Local sandbox in an AWS emulator: up | faults | break <fault> | down.')
    .option('--endpoint <url>', 'emulator endpoint (default: AWS_ENDPOINT_URL)')
    .option('--dir <dir>', 'where the sandbox config and state are written', 'reports/sandbox')
    .option('--region <region>', 'region to provision in', 'us-east-1')
    .option('--with-app', 'up: also start MariaDB and the OvalEdge-like app, and stay in the foreground')
    .action(async (action: string, fault: string | undefined, opts: SandboxOptions) =>
      setExit(await sandboxCommand(action, fault, opts)),
    );

  registerRemediate(program, setExit);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (2, not commander's 1).
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`askedgi-doctor: ${sanitizeTerminal(err.message)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`askedgi-doctor: unexpected error: ${sanitizeTerminal(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return EXIT.findings;
  }
}
