// The fleet case of `npm run bench` (BENCH_ONLY=fleet runs only it): `fleet run` over 50 targets at
// concurrency 10 against one target alone, in process, printed as a ratio (issue 16: at most 6×), with
// the peak RSS of each and where the time goes (the doctor's CPU and moto's CPU against the wall clock).
//
// moto serves the sandbox in one customer account (111111111111, provisioned through an assumed role);
// the 50 targets are 50 roles in that account, so each target assumes its own role, opens its own
// inventory, reads the whole deployment and writes its JSON and HTML reports, as in a real fleet.
// The browser smoke test and the database probes are left out (no MariaDB, no app).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { targetCredentials } from '../src/fleet/assume.js';
import { loadFleet } from '../src/fleet/load.js';
import { runFleet } from '../src/fleet/run.js';
import { ensureEmulatorCredentials, startMoto } from '../src/sandbox/emulator.js';
import { provisionSandbox, SANDBOX_CONFIG_FILE } from '../src/sandbox/provision.js';

const ACCOUNT = '111111111111';
// BENCH_FLEET_TARGETS / BENCH_FLEET_CONCURRENCY change the case (for profiling); the README figures use the defaults.
const TARGETS = Number(process.env.BENCH_FLEET_TARGETS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_FLEET_CONCURRENCY ?? 10);

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
      const summary = await runFleet({ fleet, targets: fleet.targets, concurrency, outDir: join(dir, `${label}-${Date.now()}`), failOn: 'fail', formats: ['json', 'html'], endpoint: moto.endpoint, ctx: { smokeDisabled: 'bench' }, databaseLeftOut: 'bench' });
      const wall = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      const cpu = process.cpuUsage(cpu0);
      const moto1 = motoCpuSeconds(moto.port);
      const bad = summary.targets.filter((t) => t.state !== 'checked');
      if (bad.length > 0) throw new Error(`fleet bench: ${bad.length} targets not checked: ${bad[0]!.reason}`);
      return { wall, doctorCpu: (cpu.user + cpu.system) / 1e6, motoCpu: moto0 !== undefined && moto1 !== undefined ? moto1 - moto0 : undefined, peakMb: peak / 2 ** 20 };
    };
    await measure(1, 1, 'warm');
    const ones = [];
    for (let i = 0; i < runs; i += 1) ones.push(await measure(1, 1, 'one'));
    const one = [...ones].sort((a, b) => a.wall - b.wall)[Math.floor(ones.length / 2)]!;
    const many = await measure(TARGETS, CONCURRENCY, 'fleet');
    const s = (x: number) => `${x.toFixed(2)} s`;
    const row = (label: string, m: typeof one) => [label, s(m.wall), s(m.doctorCpu), m.motoCpu !== undefined ? s(m.motoCpu) : 'n/a', `${Math.round(m.peakMb)} MB`];
    const rows = [['', 'wall', 'doctor CPU', 'moto CPU', 'peak RSS (doctor)'], row('1 target', one), row(`${TARGETS} targets, concurrency ${CONCURRENCY}`, many)];
    out(`Fleet (in process, fleet run on moto; ${TARGETS} roles in one sandbox account; smoke and database left out; 1 target: median of ${runs}):`);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
    out(`  ${TARGETS} targets / 1 target: ${(many.wall / one.wall).toFixed(1)}× (target ≤ 6×, issue 16); per target: ${s(many.wall / TARGETS)}`);
    if (many.motoCpu !== undefined) out(`  where the time goes (${TARGETS} targets): moto busy ${((many.motoCpu / many.wall) * 100).toFixed(0)}% of the wall clock (one Python process), the doctor ${((many.doctorCpu / many.wall) * 100).toFixed(0)}%`);
  } finally {
    await moto.stop();
  }
}
