// askedgi-doctor sandbox up | faults | break <fault> | down: the local sandbox in an AWS emulator.
import { join, resolve } from 'node:path';
import { resolveEndpoint } from '../config/resolve.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { writeOut } from './output.js';

export interface SandboxOptions {
  endpoint?: string;
  dir: string;
  region: string;
  withApp?: boolean;
}

/** `sandbox up --with-app`: the whole stack in the foreground until Ctrl-C (the app lives in this process). */
async function serveStack(endpoint: string, dir: string, region: string): Promise<ExitCode> {
  const { startSandboxStack, ADMIN_ENV_FILE } = await import('../sandbox/stack.js');
  const stack = await startSandboxStack({ endpoint, dir, region });
  await writeOut(
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

export async function sandboxCommand(action: string, fault: string | undefined, opts: SandboxOptions): Promise<ExitCode> {
  const { FAULTS, breakSandbox, sandboxDown, sandboxUp } = await import('../sandbox/faults/index.js');
  if (action === 'faults') {
    const width = Math.max(...FAULTS.map((f) => f.name.length));
    await writeOut(FAULTS.map((f) => `${f.name.padEnd(width)}  step ${f.step}  ${f.description}\n`).join(''));
    return EXIT.ok;
  }
  // The sandbox has no config file yet: --endpoint or AWS_ENDPOINT_URL.
  const endpoint = resolveEndpoint(opts.endpoint, undefined, process.env);
  if (!endpoint) throw new UsageError('the sandbox needs an emulator endpoint: pass --endpoint http://127.0.0.1:<port> or set AWS_ENDPOINT_URL');
  const dir = resolve(opts.dir);
  switch (action) {
    case 'up': {
      if (opts.withApp) return serveStack(endpoint, dir, opts.region);
      await sandboxUp({ endpoint, outDir: dir, region: opts.region });
      await writeOut(`Sandbox provisioned at ${endpoint}; config written to ${join(dir, 'askedgi-doctor.yaml')}\n`);
      return EXIT.ok;
    }
    case 'break': {
      if (!fault) throw new UsageError('sandbox break needs a fault name (see askedgi-doctor sandbox faults)');
      if (!FAULTS.some((f) => f.name === fault)) throw new UsageError(`unknown fault "${fault}" (see askedgi-doctor sandbox faults)`);
      const applied = await breakSandbox(fault, { endpoint, outDir: dir });
      await writeOut(`Applied fault ${applied.name}: ${applied.description}\n`);
      return EXIT.ok;
    }
    case 'down':
      await sandboxDown(endpoint);
      await writeOut(`Sandbox removed from ${endpoint}\n`);
      return EXIT.ok;
    default:
      throw new UsageError(`unknown sandbox action "${action}": expected up, faults, break <fault> or down`);
  }
}
