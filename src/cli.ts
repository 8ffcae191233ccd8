// Commander wiring only: options, help texts and which command module runs. Each command's module
// is imported when that command runs, so `--version`, `--help` and `list` load no AWS client,
// browser or database driver. Exit codes come from src/errors.ts (`EXIT`, `exitCodeFor`).
import { Command, Option } from 'commander';
import { EXIT, exitCodeFor } from './errors.js';
import { DEFAULT_FORMATS, FAIL_ON, FORMATS, list, parseFormats, parseSeverities, seconds } from './commands/options.js';
import { writeErr } from './commands/output.js';
import type { DiagnoseOptions } from './commands/diagnose.js';
import type { FleetRunOptions } from './commands/fleet.js';
import type { IamPolicyOptions } from './commands/iam-policy.js';
import type { InitOptions } from './commands/init.js';
import type { RunOptions } from './commands/run.js';
import type { SandboxOptions } from './commands/sandbox.js';
import { sanitizeTerminal } from './report/console.js';
import { VERSION } from './version.js';

type SetExit = (code: number) => void;

const REMEDIATE_DESCRIPTION =
  'Guarded repairs (runbook step 10 workspace reset, redeploy the latest revision): plan, then apply only with --confirm and an approver; backup, audit log, restore.';

/** The command word of argv (the first operand), e.g. "run", "help" or undefined for `--version`. */
const commandWord = (argv: string[]): string | undefined => argv.slice(2).find((a) => !a.startsWith('-'));

/**
 * The program. The `remediate` group (its subcommands pull in the database driver and the AWS
 * clients) is registered for real only when argv names it (`remediate …` or `help remediate`);
 * otherwise a stub with the same description stands in for the top-level help.
 */
export async function buildProgram(setExit: SetExit, argv: string[] = process.argv): Promise<Command> {
  const program = new Command('askedgi-doctor')
    .description('Verify, diagnose and (under guard) repair an AskEdgi ECS Variant-2 deployment on AWS.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(sanitizeTerminal(str)) });

  program
    .command('init')
    .description('Discover the deployment of an ECS cluster (read-only) and write a commented config: exit 0 complete, 1 with decisions left, 2 nothing written.')
    .requiredOption('--cluster <name>', 'the ECS cluster of the AskEdgi deployment')
    .option('-o, --out <file>', 'config file to write', 'askedgi-doctor.yaml')
    .option('--force', 'overwrite the file when it exists')
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator), written into the config; default: AWS_ENDPOINT_URL')
    .option('--profile <name>', 'AWS profile for the SDK credential chain (sets AWS_PROFILE; credentials are never read from the config or argv)')
    .option('--region <region>', 'AWS region of the deployment (default: AWS_REGION)')
    .action(async (opts: InitOptions) => setExit(await (await import('./commands/init.js')).initCommand(opts)));

  program
    .command('run')
    .description('Run every check of the runbook against the account (read-only) and write reports.')
    .option('-c, --config <file>', 'configuration file', 'askedgi-doctor.yaml')
    .option('--only <ids>', 'run only these check ids (comma-separated, repeatable)', list)
    .option('--skip <ids>', 'leave out these check ids (comma-separated, repeatable)', list)
    .addOption(new Option('--fail-on <status>', 'lowest status that makes the exit code 1').choices(FAIL_ON).default('fail'))
    .option('-o, --out <dir>', 'directory for report files; "-" writes the one format chosen with -f to stdout', 'reports')
    .option('-f, --format <list>', `report formats, comma-separated: ${FORMATS.join(', ')}`, parseFormats, [...DEFAULT_FORMATS])
    .option('--severity <list>', 'report only checks of these severities (critical, high, medium, low; comma-separated); all checks still run', parseSeverities)
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator); default: config endpoint or AWS_ENDPOINT_URL')
    .option('--profile <name>', 'AWS profile for the SDK credential chain (sets AWS_PROFILE; credentials are never read from the config or argv)')
    .option('--region <region>', 'AWS region of the deployment (overrides the config region and AWS_REGION)')
    .option('-v, --verbose', 'also list passing findings, and each finding\'s code')
    .option('-q, --quiet', 'console: only the "Needs attention" block and the summary line; no progress line')
    .option('--no-smoke', 'leave out the browser smoke test (step 10)')
    .option('--no-upload', 'the browser smoke test uploads nothing to the tenant (skips its upload steps)')
    .option('--no-db', 'leave out the database probes (step 10)')
    .option('--in-vpc', 'the doctor runs inside the deployment VPC: probe the private Insight endpoint and its Cloud Map instances (step 10)')
    .option('--baseline <file>', 'a previous askedgi-doctor.json: mark findings new or known and list the fixed ones')
    .option('--fail-on-new', 'with --baseline: exit 1 only for new findings at or above --fail-on')
    .option('--check-timeout <s>', 'stop a check after this many seconds and report it as error (config checks.timeoutSeconds; default 120)', seconds)
    .option('--timeout <s>', 'ceiling of the whole run in seconds: checks still running become error, the reports are written (config checks.runTimeoutSeconds; default 900)', seconds)
    .action(async (opts: RunOptions) => setExit(await (await import('./commands/run.js')).runCommand(opts)));

  program
    .command('list')
    .description('List the checks: runbook step, severity, id and the healthy state.')
    .option('--json', 'print JSON')
    .option('-c, --config <file>', 'also list the plugin checks of this config (default: askedgi-doctor.yaml when present)')
    .action(async (opts: { json?: boolean; config?: string }) => setExit(await (await import('./commands/list.js')).listCommand(opts)));

  program
    .command('explain <id>')
    .description('Explain a check: what it verifies, its runbook step, how to fix it and the permissions it needs.')
    .option('-c, --config <file>', 'also know the plugin checks of this config (default: askedgi-doctor.yaml when present)')
    .action(async (id: string, opts: { config?: string }) => setExit(await (await import('./commands/explain.js')).explainCommand(id, opts)));

  program
    .command('diagnose <what>')
    .description('Diagnose a workspace (runbook step 10, "If Workspace is Not Created"): verdict, evidence and the exact remediation command. Exit 0 when healthy, 1 otherwise.')
    .requiredOption('--user <id|email>', 'the OvalEdge user whose workspace to diagnose')
    .option('-c, --config <file>', 'configuration file', 'askedgi-doctor.yaml')
    .option('-o, --out <dir>', 'directory for screenshots of the browser check', 'reports')
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator); default: config endpoint or AWS_ENDPOINT_URL')
    .option('--profile <name>', 'AWS profile for the SDK credential chain (sets AWS_PROFILE; credentials are never read from the config or argv)')
    .option('--region <region>', 'AWS region of the deployment (overrides the config region and AWS_REGION)')
    .option('--no-smoke', 'leave out the browser check')
    .option('--json', 'print the diagnosis as JSON')
    .action(async (what: string, opts: DiagnoseOptions) => setExit(await (await import('./commands/diagnose.js')).diagnoseCommand(what, opts)));

  program
    .command('iam-policy')
    .description('Print the least-privilege IAM policy (JSON) that `run` needs: read-only actions only.')
    .option('--only <ids>', 'only for these check ids (comma-separated, repeatable)', list)
    .option('-c, --config <file>', 'include the plugin checks of this config (default: askedgi-doctor.yaml when present)')
    .option('--init', 'also grant the two reads `init` adds (ecs:ListServices, iam:GetAccessKeyLastUsed)')
    .option('--remediate', 'print the separate policy for `remediate` (its writes) instead')
    .option('--fleet', 'print the fleet\'s policies instead: the operator\'s (sts:AssumeRole on the listed roles) and, per customer role, its trust and permissions policies (needs -f)')
    .option('-f, --file <fleet.yaml>', 'with --fleet: the fleet file')
    .action(async (opts: IamPolicyOptions) => setExit(await (await import('./commands/iam-policy.js')).iamPolicyCommand(opts)));

  const fleet = program
    .command('fleet')
    .description('Every customer account of a fleet file, each through a role the operator assumes: run | merge.');
  fleet
    .command('run')
    .description('Run the checks against every target of the fleet file (or of one shard) and write a report folder per target plus the fleet reports.')
    .requiredOption('-f, --file <fleet.yaml>', 'the fleet file')
    .option('--concurrency <n>', 'targets run at the same time', '4')
    .option('--shard <i/n>', 'run only shard i of n (a stable subset by target name), e.g. for a CI matrix; combine with `fleet merge`')
    .option('-o, --out <dir>', 'directory for the fleet reports and one folder per target', 'reports/fleet')
    .addOption(new Option('--fail-on <status>', 'lowest status that makes the exit code 1 (a target that cannot be assumed counts as error)').choices(FAIL_ON).default('fail'))
    .option('--format <list>', `report formats per target, comma-separated: ${FORMATS.join(', ')} (json and html are always written)`, parseFormats, [...DEFAULT_FORMATS])
    .option('--endpoint <url>', 'custom AWS endpoint (an emulator) for STS and every target; default: config endpoint or AWS_ENDPOINT_URL')
    .option('--profile <name>', 'AWS profile of the operator for the SDK credential chain (sets AWS_PROFILE); each target is reached by assuming its role with it')
    .option('--only <ids>', 'run only these check ids (comma-separated, repeatable)', list)
    .option('--skip <ids>', 'leave out these check ids (comma-separated, repeatable)', list)
    .option('--no-smoke', 'leave out the browser smoke test (step 10)')
    .option('--no-upload', 'the browser smoke test uploads nothing to the tenant (skips its upload steps)')
    .option('--no-db', 'leave out the database probes (step 10)')
    .option('--in-vpc', 'the doctor runs inside the deployments\' VPCs: probe the private Insight endpoints (step 10)')
    .action(async (opts: FleetRunOptions) => setExit(await (await import('./commands/fleet.js')).fleetRunCommand(opts)));
  fleet
    .command('merge <dirs...>')
    .description('Combine the -o folders of `fleet run --shard i/n` jobs into one folder with the fleet reports.')
    .option('-o, --out <dir>', 'directory for the merged fleet reports and target folders', 'reports/fleet')
    .action(async (dirs: string[], opts: { out: string }) => setExit(await (await import('./commands/fleet.js')).fleetMergeCommand(dirs, opts)));

  program
    .command('sandbox <action> [fault]')
    .description('Local sandbox in an AWS emulator: up | faults | break <fault> | down.')
    .option('--endpoint <url>', 'emulator endpoint (default: AWS_ENDPOINT_URL)')
    .option('--dir <dir>', 'where the sandbox config and state are written', 'reports/sandbox')
    .option('--region <region>', 'region to provision in', 'us-east-1')
    .option('--with-app', 'up: also start MariaDB and the OvalEdge-like app, and stay in the foreground')
    .action(async (action: string, fault: string | undefined, opts: SandboxOptions) => setExit(await (await import('./commands/sandbox.js')).sandboxCommand(action, fault, opts)));

  const word = commandWord(argv);
  if (word === 'remediate' || (word === 'help' && argv.includes('remediate'))) {
    const { registerRemediate } = await import('./remediate/cli.js');
    registerRemediate(program, setExit);
  } else {
    program.command('remediate').description(REMEDIATE_DESCRIPTION).allowUnknownOption().allowExcessArguments();
  }
  return program;
}

/** Parses argv, runs the command and returns its exit code; every thrown error is mapped by exitCodeFor. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  try {
    const program = await buildProgram((c) => (code = c), argv);
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    const exit = exitCodeFor(err);
    // commander printed its own message (or the help); a DoctorError is one line; anything else is a crash.
    if (exit === EXIT.internal) writeErr(`askedgi-doctor: unexpected error (exit ${EXIT.internal}): ${sanitizeTerminal(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    else if (!isCommanderError(err)) writeErr(`askedgi-doctor: ${sanitizeTerminal(err instanceof Error ? err.message : String(err))}\n`);
    return exit;
  }
}

const isCommanderError = (err: unknown): boolean => typeof (err as { code?: unknown })?.code === 'string' && String((err as { code: string }).code).startsWith('commander.');
