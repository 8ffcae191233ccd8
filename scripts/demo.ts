// The main job on the local sandbox: start the AWS emulator, provision a correct Variant-2
// deployment, run every check through the real CLI, print the console report and where the
// reports are, and stop the emulator whatever happens.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { ensureEmulatorCredentials, startMoto } from '../src/sandbox/emulator.js';
import { startSandboxStack } from '../src/sandbox/stack.js';
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
let stopStack: (() => Promise<void>) | undefined;
try {
  process.stderr.write(`[demo] AWS emulator (moto) at ${moto.endpoint}\n`);
  const stack = await startSandboxStack({ endpoint: moto.endpoint, dir: sandboxDir });
  stopStack = stack.stop;
  process.stderr.write(`[demo] sandbox provisioned (AWS in moto, MariaDB, OvalEdge-like app at ${stack.baseUrl}); config ${stack.configPath}\n`);
  const args = ['bin/askedgi-doctor.js', 'run', '--config', join(sandboxDir, 'askedgi-doctor.yaml'), '--out', outDir, ...process.argv.slice(2)];
  process.stderr.write(`[demo] askedgi-doctor ${args.slice(1).join(' ')}\n`);
  // The config names its secrets as env: references; the sandbox's values go to the child only.
  // Asynchronous: the OvalEdge-like app runs in this process and must keep answering the browser.
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...stack.env, AWS_ENDPOINT_URL: moto.endpoint } });
  const [status] = (await once(child, 'exit')) as [number | null];
  code = status ?? 1;
  process.stderr.write(`[demo] reports: ${['askedgi-doctor.json', 'junit.xml', 'askedgi-doctor.html'].map((f) => join(outDir, f)).join(', ')} (exit code ${code})\n`);
} finally {
  await stopStack?.();
  await moto.stop();
}
process.exitCode = code;
