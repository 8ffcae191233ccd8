// The main job on the local sandbox: start the AWS emulator, provision a correct Variant-2
// deployment, run every check through the real CLI, print the console report and where the
// reports are, and stop the emulator whatever happens.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ensureEmulatorCredentials, startMoto } from '../src/sandbox/emulator.js';
import { sandboxUp } from '../src/sandbox/faults/index.js';
import { quietNodeVersionWarning } from '../src/quiet.js';

quietNodeVersionWarning();

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'reports');
const sandboxDir = join(outDir, 'sandbox');

ensureEmulatorCredentials();
const moto = await startMoto();
const stop = () => void moto.stop();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
let code = 1;
try {
  process.stderr.write(`[demo] AWS emulator (moto) at ${moto.endpoint}\n`);
  await sandboxUp({ endpoint: moto.endpoint, outDir: sandboxDir });
  process.stderr.write(`[demo] sandbox provisioned; config ${join(sandboxDir, 'askedgi-doctor.yaml')}\n`);
  const args = ['bin/askedgi-doctor.js', 'run', '--config', join(sandboxDir, 'askedgi-doctor.yaml'), '--out', outDir, ...process.argv.slice(2)];
  process.stderr.write(`[demo] askedgi-doctor ${args.slice(1).join(' ')}\n`);
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, AWS_ENDPOINT_URL: moto.endpoint } });
  code = run.status ?? 1;
  process.stderr.write(`[demo] reports: ${['askedgi-doctor.json', 'junit.xml', 'askedgi-doctor.html'].map((f) => join(outDir, f)).join(', ')} (exit code ${code})\n`);
} finally {
  await moto.stop();
}
process.exitCode = code;
