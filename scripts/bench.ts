// npm run bench: figures side by side from ONE run on this machine, never assertions (the machine
// is shared and noisy, so every figure is a median and the ratios matter more than the times).
//
//  1. Whole process (spawned, as a user runs it): bare `node -e 0`, `--version`, `list`, and `run`
//     on the sandbox (browser smoke test left out), on the machine's Node and on .tools/node-24
//     when present; each as a ratio of the same Node's `node -e 0`. The compile cache is warmed by
//     one untimed run first (that is what every run after the first sees).
//  2. The AWS phase in process (runChecks on a fresh LiveInventory, smoke left out) through a small
//     latency proxy in front of moto, started here: 0 ms and 50 ms added per call (a real region
//     from a laptop), with the API call count per run.
//  3. The floor: the very requests of one 50 ms run (recorded by the proxy) replayed all at once,
//     each replay right after a timed run of the doctor (interlaced, so load changes move both alike)
//     through the same proxy: what the AWS phase would take if no read waited on another.
//  4. When the AWS CLI is installed: the scripted walk an engineer would write, one `aws` process
//     per request the doctor made (same operations, same order), against moto.
//
//  5. The fleet (scripts/bench-fleet.ts): `fleet run` over 50 targets at concurrency 10 against one
//     target, as a ratio, with peak RSS and the doctor's and moto's CPU time.
//
//  6. The noisy account: the AWS phase (as in 2, 0 and 50 ms) on the clean sandbox, then with 2 000
//     and with 10 000 unrelated security groups and task definitions added (src/sandbox/noise.ts:
//     other VPCs, families named <family>-old / <family>-v2, many revisions), as ratios to the clean
//     account (target ≤ 1.2×), with the call counts (must be identical) and the provisioning time.
//
// BENCH_RUNS (default 5) sets the repetitions per figure; BENCH_ONLY=fleet runs only the fleet case,
// BENCH_ONLY=aws only the AWS phase and its floor (2 and 3: quick to iterate on the inventory),
// BENCH_ONLY=noisy only the noisy account (6).
// BENCH_TIMELINE=1 prints the requests of the recorded 50 ms run by start offset, in 50 ms waves:
// the chain of waits that makes the depth.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import type { AwsCredentials } from '../src/aws/client-config.js';
import { destroyClients, makeClients } from '../src/aws/clients.js';
import { CHECKS } from '../src/checks/index.js';
import { loadConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { runChecks } from '../src/engine/runner.js';
import { targetCredentials } from '../src/fleet/assume.js';
import { openInventory, type OpenOptions } from '../src/inventory/open.js';
import type { CheckResult } from '../src/model.js';
import { ensureEmulatorCredentials, startMoto } from '../src/sandbox/emulator.js';
import { addUnrelatedResources } from '../src/sandbox/noise.js';
import { provisionSandbox, SANDBOX_CONFIG_FILE } from '../src/sandbox/provision.js';
import type { SandboxState } from '../src/sandbox/provision/names.js';
import { startSandboxStack } from '../src/sandbox/stack.js';
import { benchFleet } from './bench-fleet.js';
import { startLatencyProxy, type LatencyProxy, type Recorded } from './latency-proxy.js';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/askedgi-doctor.js');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;
const ratio = (x: number, base: number) => `${(x / base).toFixed(1)}×`;
const out = (line = '') => process.stdout.write(`${line}\n`);
const table = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
};

// ── the floor ─────────────────────────────────────────────────────────────────────────────────

/** The recorded requests sent again, all at once; resolves when every answer is in. */
async function replayAllAtOnce(endpoint: string, requests: Recorded[]): Promise<number> {
  const target = new URL(endpoint);
  const t0 = performance.now();
  await Promise.all(
    requests.map(
      (r) =>
        new Promise<void>((done) => {
          const req = httpRequest({ host: target.hostname, port: target.port, method: r.method, path: r.url, headers: { ...r.headers, host: target.host } }, (res) => {
            res.resume();
            res.on('end', () => done());
          });
          req.on('error', () => done());
          req.end(r.body);
        }),
    ),
  );
  return performance.now() - t0;
}

// ── the AWS CLI walk ──────────────────────────────────────────────────────────────────────────

/** The service (from SigV4's credential scope) and operation of a recorded request. */
function describeRequest(r: Recorded): { service: string; operation: string } {
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(r.headers.authorization ?? ''))?.[1] ?? '?';
  const target = String(r.headers['x-amz-target'] ?? '');
  const operation = target ? (target.split('.').pop() ?? target) : (/(?:^|&)Action=([A-Za-z0-9]+)/.exec(r.body.toString('utf8'))?.[1] ?? `${r.method} ${r.url.split('?')[0]}`);
  return { service: scope, operation };
}

const CLI_SERVICE: Record<string, string> = { logs: 'logs', ec2: 'ec2', ecs: 'ecs', elasticfilesystem: 'efs', iam: 'iam', s3: 's3api', secretsmanager: 'secretsmanager', servicediscovery: 'servicediscovery', sqs: 'sqs', sts: 'sts' };
const kebab = (op: string) => op.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * One `aws` process per request: the JSON-protocol reads with their exact input (--cli-input-json),
 * the others as the same operation (a walk an engineer scripts calls each read in turn). Returns
 * the wall time, or undefined without an AWS CLI.
 */
async function awsCliWalk(requests: Recorded[], endpoint: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; calls: number } | undefined> {
  if ((await exec('aws', ['--version'], env).catch(() => ({ code: -1 }))).code !== 0) return undefined;
  const t0 = performance.now();
  let calls = 0;
  for (const r of requests) {
    const { service, operation } = describeRequest(r);
    const cli = CLI_SERVICE[service];
    if (!cli || operation.includes(' ')) {
      // REST operations (S3, EFS): the same read by its CLI name where the URL names it, else a
      // caller-identity call of the same cost.
      await exec('aws', ['sts', 'get-caller-identity', '--endpoint-url', endpoint], env);
    } else {
      const input = r.headers['x-amz-target'] ? ['--cli-input-json', r.body.toString('utf8') || '{}'] : [];
      await exec('aws', [cli, kebab(operation), ...input, '--endpoint-url', endpoint], env);
    }
    calls += 1;
  }
  return { ms: performance.now() - t0, calls };
}

/**
 * The recorded 50 ms run's requests by the offset at which the proxy had each, grouped in 50 ms
 * waves: a request in wave n waited on n round trips (or on the doctor's own work) before it started.
 */
function printTimeline(requests: Recorded[], label: string): void {
  out(`Request timeline of the first 50 ms run, ${label} (start offset at the proxy; wave = offset / 50 ms):`);
  const waves = new Map<number, Recorded[]>();
  for (const r of [...requests].sort((a, b) => a.at - b.at)) {
    const w = Math.floor(r.at / 50);
    waves.set(w, [...(waves.get(w) ?? []), r]);
  }
  for (const [w, rs] of waves) {
    out(`  wave ${w} (${w * 50}–${w * 50 + 49} ms), ${rs.length} request(s):`);
    for (const r of rs) {
      const d = describeRequest(r);
      const detail = r.headers['x-amz-target'] ? r.body.toString('utf8').slice(0, 100) : `${r.method} ${r.url.slice(0, 100)}`;
      out(`    +${String(Math.round(r.at)).padStart(4)} ms  ${d.service}:${d.operation}  ${detail}`);
    }
  }
  out();
}

// ── whole-process timings ─────────────────────────────────────────────────────────────────────

/**
 * Runs a process to its end and returns its exit code and stderr. Asynchronous on purpose: moto's
 * request log and the sandbox app are served by this process's event loop (a spawnSync here blocks
 * them, moto's log pipe fills and moto stops answering).
 */
function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => done({ code, stderr }));
  });
}

async function timeProcess(node: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const r = await exec(node, args, env);
  const t = performance.now() - t0;
  if (r.code !== 0 && r.code !== 1) throw new Error(`${node} ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
  return t;
}

async function medianProcess(node: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  await timeProcess(node, args, env); // warm: compile cache and the OS's file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await timeProcess(node, args, env));
  return median(times);
}

// ── the noisy account ────────────────────────────────────────────────────────────────────────

// BENCH_NOISY_SIZES (default 2000,10000) changes the account sizes (for iterating); the README figures use the defaults.
const SIZES = (process.env.BENCH_NOISY_SIZES ?? '2000,10000').split(',').map(Number);

interface PhaseRun {
  ms: number;
  http: number;
  apiCalls: number;
  ops: Record<string, number>;
  results: CheckResult[];
}
/** The AWS phase's medians at 0 and 50 ms and the floor's (the same requests all at once), interleaved. */
/** One run of the AWS phase at `latencyMs` added per call (recording its requests into `record`). */
type Phase = (c: Config, latencyMs: number, record?: Recorded[], open?: OpenOptions) => Promise<PhaseRun>;
type AwsPhase = (c: Config) => Promise<{ zero: PhaseRun[]; fifty: PhaseRun[]; recorded: Recorded[]; m0: number; m50: number; f0: number; f50: number }>;

/** A check's conclusion without timings: its status and findings, measured durations ("in 3 ms") blanked. */
const conclusion = (r: CheckResult | undefined) => JSON.stringify({ s: r?.status, f: r?.findings }).replace(/\d+(\.\d+)? ms\b/g, '# ms');
/** What a run concluded: every check's conclusion. */
const conclusions = (results: CheckResult[]) => results.map(conclusion).join('\n');
/** Every check's status (two sandboxes in two accounts differ in ids, so their findings' words do). */
const statusKey = (results: CheckResult[]) => results.map((r) => `${r.id}=${r.status}`).join(',');
/** The checks whose statuses differ between two runs. */
const differingStatuses = (a: CheckResult[], b: CheckResult[]) => a.filter((r) => r.status !== b.find((x) => x.id === r.id)?.status).map((r) => `${r.id} ${r.status}`);
/** Call counts per operation, in a stable order. */
const callKey = (ops: Record<string, number>) => JSON.stringify(Object.entries(ops).sort(([x], [y]) => x.localeCompare(y)));

/** moto's own time for one by-id read of a deployment security group (median of 21, no proxy): what the emulator adds as it fills. */
async function motoByIdMs(endpoint: string, region: string, groupId: string, credentials: AwsCredentials): Promise<number> {
  const aws = makeClients({ region, endpoint, credentials });
  try {
    const times: number[] = [];
    for (let i = 0; i < 21; i += 1) {
      const t0 = performance.now();
      await aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    destroyClients(aws);
  }
}

/** One sandbox account of the noisy case: the sandbox provisioned through an assumed role in `account`. */
interface Twin {
  label: string;
  cfg: Config;
  state: SandboxState;
  credentials: AwsCredentials;
  open: OpenOptions;
}

/**
 * The noisy account against a clean one, both measured in the same minutes: the sandbox is provisioned
 * twice, into two accounts of the same moto (through assumed roles, as the fleet does), the unrelated
 * resources go into one of them only, and the runs alternate between the two (clean and noisy at 0 ms,
 * then noisy and clean at 50 ms, the order swapping each round; each run followed by its floor), so that the machine's load, which
 * moves over the minutes the noise takes to add, moves both alike. The database is left out of both
 * (the two accounts share none); the AWS reads are the whole phase.
 */
async function benchNoisy(phase: Phase, endpoint: string, proxy: LatencyProxy): Promise<void> {
  const twin = async (label: string, account: string): Promise<Twin> => {
    const credentials = targetCredentials({ roleArn: `arn:aws:iam::${account}:role/Provisioner`, sessionName: 'bench', region: 'us-east-1' }, { endpoint });
    const outDir = mkdtempSync(join(tmpdir(), `askedgi-bench-${label}-`));
    const state = await provisionSandbox({ endpoint, region: 'us-east-1', outDir, credentials });
    return { label, cfg: loadConfig(join(outDir, SANDBOX_CONFIG_FILE), {}), state, credentials, open: { credentials, databaseLeftOut: 'bench: the two sandbox accounts share no database' } };
  };
  const clean = await twin('clean', '111111111111');
  const noisy = await twin('noisy', '222222222222');
  const measurePair = async () => {
    const series = [clean, noisy].map((t) => ({ t, recorded: [] as Recorded[], zero: [] as PhaseRun[], fifty: [] as PhaseRun[], f0: [] as number[], f50: [] as number[] }));
    for (const s of series) {
      await phase(s.t.cfg, 0, undefined, s.t.open); // warm
      await phase(s.t.cfg, 50, s.recorded, s.t.open);
    }
    for (let i = 0; i < RUNS; i += 1) {
      for (const latency of [0, 50]) {
        // ABBA: the account measured first alternates, so that neither always runs on a warmer moto.
        for (const s of (i + latency / 50) % 2 === 0 ? series : [...series].reverse()) {
          (latency === 0 ? s.zero : s.fifty).push(await phase(s.t.cfg, latency, undefined, s.t.open));
          proxy.latencyMs = latency;
          (latency === 0 ? s.f0 : s.f50).push(await replayAllAtOnce(proxy.endpoint, s.recorded));
        }
      }
    }
    return Promise.all(
      series.map(async (s) => {
        const all = [...s.zero, ...s.fifty];
        return {
          m0: median(s.zero.map((z) => z.ms)),
          m50: median(s.fifty.map((z) => z.ms)),
          f0: median(s.f0),
          f50: median(s.f50),
          first: all[0]!,
          // Every run, not only the first, must read the same and conclude the same.
          sameCalls: all.every((r) => callKey(r.ops) === callKey(all[0]!.ops)),
          sameConclusions: all.every((r) => conclusions(r.results) === conclusions(all[0]!.results)),
          motoMs: await motoByIdMs(endpoint, s.t.cfg.region!, s.t.state.securityGroups.edgi, s.t.credentials),
        };
      }),
    );
  };
  const families = Object.values(noisy.cfg.taskDefinitions);
  const rows = [['noisy account', 'provisioning', 'clean 0 ms', 'noisy 0 ms', 'ratio', 'clean 50 ms', 'noisy 50 ms', 'ratio', 'floor clean / noisy 50 ms', 'HTTP requests', 'AWS calls', 'calls as clean', 'conclusions as clean', 'moto: 1 SG by id clean / noisy']];
  const differences: string[] = [];
  let otherVpcs: string[] | undefined;
  let from = 0;
  let prefixSharing = 0;
  for (const size of [0, ...SIZES]) {
    const added =
      size === 0
        ? undefined
        : await addUnrelatedResources({ endpoint, region: noisy.cfg.region!, vpcId: noisy.state.vpc.id, edgiSecurityGroup: noisy.state.securityGroups.edgi, families, from, to: size, otherVpcs, credentials: noisy.credentials });
    if (added) {
      otherVpcs = added.otherVpcs;
      prefixSharing += added.prefixSharingTaskDefinitions;
    }
    from = size;
    const [c, n] = await measurePair();
    // The two sandboxes are alike but not identical (ids, names): the same operations, the same number of each.
    const sameCalls = c!.sameCalls && n!.sameCalls && callKey(c!.first.ops) === callKey(n!.first.ops);
    const sameConclusions = c!.sameConclusions && n!.sameConclusions && statusKey(c!.first.results) === statusKey(n!.first.results);
    if (!sameCalls) differences.push(`calls differ at ${size}: noisy ${callKey(n!.first.ops)} against clean ${callKey(c!.first.ops)}`);
    if (!sameConclusions) differences.push(`statuses differ at ${size}: ${differingStatuses(n!.first.results, c!.first.results).join(', ')}`);
    rows.push([
      size === 0 ? 'none added (the two alike)' : `+${size.toLocaleString('en-US')} SGs and task defs (${prefixSharing} in <family>-old/-v2)`,
      added ? `${(added.ms / 1000).toFixed(1)} s (${added.requests} requests)` : '',
      ms(c!.m0),
      ms(n!.m0),
      ratio(n!.m0, c!.m0),
      ms(c!.m50),
      ms(n!.m50),
      ratio(n!.m50, c!.m50),
      `${ms(c!.f50)} / ${ms(n!.f50)}`,
      String(n!.first.http),
      String(n!.first.apiCalls),
      sameCalls ? 'yes' : 'NO',
      sameConclusions ? 'yes' : 'NO',
      `${c!.motoMs.toFixed(1)} / ${n!.motoMs.toFixed(1)} ms`,
    ]);
  }
  out('Noisy account: the AWS phase in a sandbox account with unrelated security groups and task definitions added (cumulative),');
  out('against the same sandbox in a clean account of the same moto, runs alternating between the two:');
  table(rows);
  out('  unrelated: security groups half in the deployment VPC (every 10th allows 443 from the Edgi group), half in 3 other VPCs;');
  out('  task definitions 40% in the families <family>-old / <family>-v2 of the 4 deployment families (100 revisions each at 2 000,');
  out('  500 at 10 000), 60% in other families of 30 revisions; every 10th revision deregistered.');
  out('  Target: the noisy account within 1.2× of the clean one; the same calls (issue 13 item 3).');
  for (const d of differences) out(`  ${d}`);
  out();
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────

if (process.env.BENCH_ONLY === 'fleet') {
  await benchFleet(out, RUNS);
  process.exit(0);
}
const ONLY_AWS = process.env.BENCH_ONLY === 'aws';
const ONLY_NOISY = process.env.BENCH_ONLY === 'noisy';
if (process.env.BENCH_ONLY !== undefined && !ONLY_AWS && !ONLY_NOISY) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY}: only "fleet", "aws" and "noisy" are known`);
const ONLY = ONLY_AWS || ONLY_NOISY;

ensureEmulatorCredentials();
const moto = await startMoto();
const dir = mkdtempSync(join(tmpdir(), 'askedgi-bench-'));
const stack = await startSandboxStack({ endpoint: moto.endpoint, dir });
Object.assign(process.env, stack.env);
const proxy = await startLatencyProxy(moto.endpoint);
try {
  const cfg = loadConfig(stack.configPath, {});
  const checks = CHECKS.filter((c) => c.id !== 'browser-smoke');
  out(`askedgi-doctor bench — ${new Date().toISOString()}, ${RUNS} runs per figure (medians), ${checks.length} checks, sandbox in moto + MariaDB`);
  out();

  // 1. Whole process.
  const env = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, NO_COLOR: '1' };
  const nodes: [string, string][] = [[`machine (${process.version})`, process.execPath]];
  const node24 = join(ROOT, '.tools/node-24/bin/node');
  if (existsSync(node24)) nodes.push([`Node ${execFileSync(node24, ['--version']).toString().trim()} (.tools)`, node24]);
  const runArgs = [BIN, 'run', '-c', stack.configPath, '--no-smoke', '-f', 'json', '-o', join(dir, 'reports')];
  const runMs: number[] = [];
  if (!ONLY) {
    out('Whole process (spawned; ratio to the same Node\'s bare `node -e 0`):');
    const rows = [['', 'node -e 0', '--version', 'list', 'run (sandbox)', '--version ratio', 'list ratio', 'run ratio']];
    for (const [label, node] of nodes) {
      const base = await medianProcess(node, ['-e', '0'], env);
      const version = await medianProcess(node, [BIN, '--version'], env);
      const list = await medianProcess(node, [BIN, 'list'], env);
      const run = await medianProcess(node, runArgs, env);
      runMs.push(run);
      rows.push([label, ms(base), ms(version), ms(list), ms(run), ratio(version, base), ratio(list, base), ratio(run, base)]);
  }
  table(rows);
  out('  targets: --version ≤ 4×, list ≤ 6× (issue 13)');
  out();
  }

  // 2. The AWS phase at 0 and 50 ms per call, 3. the floor: with the configuration as it is, and
  // with permissions.simulate off. moto does not implement iam:SimulatePrincipalPolicy: it answers
  // 500, which the SDK retries with backoff (5 attempts) before the doctor falls back to its own
  // evaluation, a wait no dependency makes and real IAM (an answer or AccessDenied) does not have.
  const phase: Phase = async (c, latencyMs, record, open = {}) => {
    proxy.latencyMs = latencyMs;
    proxy.recording = record;
    const { inventory } = openInventory(c, { ...open, endpoint: proxy.endpoint });
    const before = proxy.calls;
    const t0 = performance.now();
    proxy.recordingStart = t0;
    // As runTarget does: every read the config determines starts now (the selected checks' actions only).
    inventory.prefetch(c, checks.flatMap((x) => x.permissions));
    const results = await runChecks(checks, inventory, c, { outDir: join(dir, 'reports'), env: process.env, smokeDisabled: 'bench' });
    const t = performance.now() - t0;
    const ops = inventory.apiCalls();
    const apiCalls = Object.values(ops).reduce((a, b) => a + b, 0);
    inventory.destroy();
    proxy.recording = undefined;
    if (results.length !== checks.length) throw new Error('not every check ran');
    return { ms: t, http: proxy.calls - before, apiCalls, ops, results };
  };
  // Interleaved: each run of the doctor is followed by the floor, so that a change in the machine's
  // load during the measurement moves both alike. The floor replays the requests of one 50 ms run
  // recorded before the timed runs.
  const awsPhase: AwsPhase = async (c) => {
    await phase(c, 0); // warm
    const recorded: Recorded[] = [];
    await phase(c, 50, recorded);
    const zero: PhaseRun[] = [];
    const fifty: PhaseRun[] = [];
    const floors0: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      zero.push(await phase(c, 0));
      proxy.latencyMs = 0;
      floors0.push(await replayAllAtOnce(proxy.endpoint, recorded));
      fifty.push(await phase(c, 50));
      proxy.latencyMs = 50;
      floors.push(await replayAllAtOnce(proxy.endpoint, recorded));
    }
    return { zero, fifty, recorded, m0: median(zero.map((z) => z.ms)), m50: median(fifty.map((z) => z.ms)), f0: median(floors0), f50: median(floors) };
  };
  if (!ONLY_NOISY) {
  // The sandbox config has the simulator off (moto lacks it); the other row shows what moto's 500s cost.
  const other = !cfg.permissions.simulate;
  const variants = [
    { label: `simulator ${cfg.permissions.simulate ? 'on' : 'off'} (as configured)`, c: cfg },
    { label: other ? 'simulator on (moto: 500, retried)' : 'simulator off', c: { ...cfg, permissions: { ...cfg.permissions, simulate: other } } },
  ];
  const measured = [];
  for (const v of variants) measured.push({ ...v, ...(await awsPhase(v.c)) });
  out('AWS phase in process (runChecks, smoke left out) through a latency proxy in front of moto:');
  table([
    ['', 'added per call', 'doctor', 'same reads all at once', 'doctor / floor', 'HTTP requests', 'AWS+SQL calls (inventory)'],
    ...measured.flatMap((m) => [
      [m.label, '0 ms', ms(m.m0), ms(m.f0), ratio(m.m0, m.f0), String(m.zero[0]!.http), String(m.zero[0]!.apiCalls)],
      [m.label, '50 ms', ms(m.m50), ms(m.f50), ratio(m.m50, m.f50), String(m.fifty[0]!.http), String(m.fifty[0]!.apiCalls)],
    ]),
  ]);
  for (const m of measured) out(`  ${m.label}: dependency depth implied at 50 ms ≈ ${((m.m50 - m.m0) / 50).toFixed(1)} sequential round trips`);
  out('  target doctor/floor ≤ 1.5× at 50 ms (issue 13 item 3)');
  const recorded = measured[0]!.recorded;
  const byOp = new Map<string, number>();
  for (const r of recorded) {
    const d = describeRequest(r);
    const key = `${d.service}:${d.operation}`;
    byOp.set(key, (byOp.get(key) ?? 0) + 1);
  }
  out(`  requests per operation (one run, as configured): ${[...byOp.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out();
  if (process.env.BENCH_TIMELINE === '1') for (const m of measured) printTimeline(m.recorded, m.label);

  // 4. The AWS CLI walk.
  const walk = ONLY ? undefined : await awsCliWalk(recorded, moto.endpoint, env);
  if (walk) {
    out('Scripted AWS CLI walk of the same reads (one `aws` process per request, sequential, no added latency):');
    table([
      ['', 'wall', 'calls', 'walk / doctor run (whole process)'],
      ['aws cli', ms(walk.ms), String(walk.calls), runMs.map((r, i) => `${ratio(walk.ms, r)} (${nodes[i]![0]})`).join(', ')],
    ]);
    out('  target: the doctor ≥ 20× faster than the walk (issue 13)');
  } else if (!ONLY_AWS) {
    out('AWS CLI not installed: the scripted walk comparison is left out.');
  }
  }

  // 6. The noisy account (last: the noise stays in moto).
  if (!ONLY_AWS) {
    await benchNoisy(phase, moto.endpoint, proxy);
  }
} finally {
  await proxy.close();
  await stack.stop();
  await moto.stop();
}

if (!ONLY) {
  out();
  await benchFleet(out, RUNS);
}
