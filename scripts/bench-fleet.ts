// The fleet case of `npm run bench` (BENCH_ONLY=fleet runs only it): `fleet run` over 50 targets at
// concurrency 10 against one target alone, in process, printed as a ratio (issue 16: at most 6×), with
// the peak RSS of each and where the time goes (the doctor's CPU and moto's CPU against the wall clock),
// at 0 ms and at 50 ms added per AWS call (the latency proxy of the AWS-phase bench, in front of moto).
//
// moto serves the sandbox in one customer account (111111111111, provisioned through an assumed role);
// the 50 targets are 50 roles in that account, so each target assumes its own role, opens its own
// inventory, reads the whole deployment and writes its JSON and HTML reports, as in a real fleet.
// The browser smoke test and the database probes are left out (no MariaDB, no app).
//
// The "CPU floor" column is the least ratio this machine allows: the CPU the fleet took (the doctor's
// and moto's, both measured) spread over every core, and never less than the busiest single thread
// (the doctor's event loop, moto's one Python process), divided by one target's wall.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { targetCredentials } from '../src/fleet/assume.js';
import { loadFleet } from '../src/fleet/load.js';
import { runFleet } from '../src/fleet/run.js';
import { ensureEmulatorCredentials, startMoto } from '../src/sandbox/emulator.js';
import { provisionSandbox, SANDBOX_CONFIG_FILE } from '../src/sandbox/provision.js';
import { startLatencyProxy } from './latency-proxy.js';

const ACCOUNT = '111111111111';
// BENCH_FLEET_TARGETS / BENCH_FLEET_CONCURRENCY change the case (for profiling); the README figures use the defaults.
const TARGETS = Number(process.env.BENCH_FLEET_TARGETS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_FLEET_CONCURRENCY ?? 10);
// BENCH_FLEET_LATENCIES: the added latencies per call, ms (default 0 and 50, as the AWS phase).
const LATENCIES = (process.env.BENCH_FLEET_LATENCIES ?? '0,50').split(',').map(Number);

/** CPU seconds (user + system) of the moto_server process listening on `port`, from /proc (Linux). */
function motoCpuSeconds(port: number): number | undefined {
  try {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!cmd.includes('moto_server') || !cmd.split('\0').includes(String(port))) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime are fields 14 and 15 of stat (11 and 12 after "pid (comm) ").
      return (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    // No /proc: the CPU split is left out.
  }
  return undefined;
}

export async function benchFleet(out: (line?: string) => void, runs: number): Promise<void> {
  ensureEmulatorCredentials();
  const moto = await startMoto();
  const proxy = await startLatencyProxy(moto.endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'askedgi-bench-fleet-'));
  try {
    const credentials = targetCredentials({ roleArn: `arn:aws:iam::${ACCOUNT}:role/Provisioner`, sessionName: 'bench', region: 'us-east-1' }, { endpoint: moto.endpoint });
    await provisionSandbox({ endpoint: moto.endpoint, region: 'us-east-1', outDir: join(dir, 'sandbox'), credentials });
    const fleetFile = (n: number) => {
      const file = join(dir, `fleet-${n}.yaml`);
      const targets = Array.from({ length: n }, (_, i) => ({ name: `customer-${String(i + 1).padStart(2, '0')}`, accountId: ACCOUNT, region: 'us-east-1', roleArn: `arn:aws:iam::${ACCOUNT}:role/AskEdgiDoctor-${i + 1}` }));
      writeFileSync(file, stringify({ config: join('sandbox', SANDBOX_CONFIG_FILE), operator: 'arn:aws:iam::123456789012:role/Bench', targets }));
      return file;
    };
    const measure = async (n: number, concurrency: number, label: string) => {
      const fleet = await loadFleet(fleetFile(n));
      let peak = process.memoryUsage.rss();
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
      const cpu0 = process.cpuUsage();
      const moto0 = motoCpuSeconds(moto.port);
      const t0 = performance.now();
      const summary = await runFleet({ fleet, targets: fleet.targets, concurrency, outDir: join(dir, `${label}-${Date.now()}`), failOn: 'fail', formats: ['json', 'html'], endpoint: proxy.endpoint, ctx: { smokeDisabled: 'bench' }, databaseLeftOut: 'bench' });
      const wall = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      const cpu = process.cpuUsage(cpu0);
      const moto1 = motoCpuSeconds(moto.port);
      const bad = summary.targets.filter((t) => t.state !== 'checked');
      if (bad.length > 0) throw new Error(`fleet bench: ${bad.length} targets not checked: ${bad[0]!.reason}`);
      return { wall, doctorCpu: (cpu.user + cpu.system) / 1e6, motoCpu: moto0 !== undefined && moto1 !== undefined ? moto1 - moto0 : undefined, peakMb: peak / 2 ** 20 };
    };
    const s = (x: number) => `${x.toFixed(2)} s`;
    const cores = availableParallelism();
    out(`Fleet (in process, fleet run on moto through the latency proxy; ${TARGETS} roles in one sandbox account; smoke and database left out; 1 target: median of ${runs}; ${cores} cores):`);
    const rows = [['', 'added per call', 'wall', 'doctor CPU', 'moto CPU', 'peak RSS (doctor)', 'ratio', 'CPU floor of the ratio']];
    const notes: string[] = [];
    for (const latencyMs of LATENCIES) {
      proxy.latencyMs = latencyMs;
      await measure(1, 1, 'warm');
      const ones = [];
      for (let i = 0; i < runs; i += 1) ones.push(await measure(1, 1, 'one'));
      const one = [...ones].sort((a, b) => a.wall - b.wall)[Math.floor(ones.length / 2)]!;
      const many = await measure(TARGETS, CONCURRENCY, 'fleet');
      // The least wall the machine allows for the fleet: all the CPU it took spread over every core, and
      // never less than the busiest single thread (the doctor's event loop; moto's one Python process).
      const cpuFloor = many.motoCpu !== undefined ? Math.max((many.doctorCpu + many.motoCpu) / cores, many.doctorCpu, many.motoCpu) : undefined;
      const row = (label: string, m: typeof one, r: string, floor: string) => [label, `${latencyMs} ms`, s(m.wall), s(m.doctorCpu), m.motoCpu !== undefined ? s(m.motoCpu) : 'n/a', `${Math.round(m.peakMb)} MB`, r, floor];
      rows.push(row('1 target', one, '', ''));
      rows.push(row(`${TARGETS} targets, concurrency ${CONCURRENCY}`, many, `${(many.wall / one.wall).toFixed(1)}×`, cpuFloor !== undefined ? `${(cpuFloor / one.wall).toFixed(1)}×` : 'n/a'));
      notes.push(
        `at ${latencyMs} ms: per target the doctor used ${s(many.doctorCpu / TARGETS)} of CPU${many.motoCpu !== undefined ? ` and moto ${s(many.motoCpu / TARGETS)}` : ''}; one target alone waited ${s(Math.max(0, one.wall - one.doctorCpu))} beyond its own CPU`,
      );
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
    for (const n of notes) out(`  ${n}`);
    out(`  ratio = ${TARGETS} targets' wall / 1 target's wall (target ≤ 6×, issue 16); CPU floor = the fleet's CPU (doctor + moto) over ${cores} cores, at least the busiest single thread, / 1 target's wall`);
  } finally {
    await proxy.close();
    await moto.stop();
  }
}
