// Starts and stops a local moto server, the AWS emulator the sandbox provisions into.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../package-root.js';

export interface MotoOptions {
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Extra environment for the moto process (e.g. MOTO_ECS_SERVICE_RUNNING=0 for a degraded server). */
  env?: Record<string, string>;
}

export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const STDERR_TAIL_CHARS = 2_000;

/** Path of the project-local moto_server binary installed by scripts/setup.sh. */
export function motoBinary(): string {
  return join(repoRoot(), '.venv', 'bin', 'moto_server');
}

/** moto accepts any credentials; the SDK still needs some to sign requests, so set dummies when none are configured. */
export function ensureEmulatorCredentials(): void {
  if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  }
}

/** Binds the port (0: any free one) on 127.0.0.1, releases it and returns its number. */
function probePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `Port ${port} on 127.0.0.1 is already in use.` : `Cannot bind port ${port}: ${err.message}.`)),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('Could not determine a free port.'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function postJson(url: string, body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto ${url} answered HTTP ${res.status}: ${text.slice(0, 500)}.`);
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts moto on 127.0.0.1, waits until it answers and keeps ECS tasks RUNNING. */
export async function startMoto(opts: MotoOptions = {}): Promise<MotoServer> {
  const binary = motoBinary();
  if (!existsSync(binary)) throw new Error('moto is not installed: run scripts/setup.sh');
  // An explicit port is probed too: otherwise another server on it would answer the health check.
  const port = await probePort(opts.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;

  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      MOTO_ECS_SERVICE_RUNNING: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = waitForExit(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`moto could not be started: ${spawnError.message}.`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto exited during startup (code ${child.exitCode ?? child.signalCode}); its stderr ends with:\n${stderr.trim()}`);
    }
    if (await answers(`${endpoint}/moto-api/`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s; its stderr ends with:\n${stderr.trim()}`);
    }
    await sleep(100);
  }

  try {
    await postJson(`${endpoint}/moto-api/state-manager/set-transition`, {
      model_name: 'ecs::task',
      transition: { progression: 'manual', times: 1_000_000 },
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port, stop };
}

/** Wipes all of moto's state (the state-manager transitions survive). */
export async function resetMoto(endpoint: string): Promise<void> {
  await postJson(`${endpoint.replace(/\/+$/, '')}/moto-api/reset`);
}
