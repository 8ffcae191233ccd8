// The catalog of sandbox faults, and applying one to a provisioned sandbox.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AwsCredentials } from '../../aws/client-config.js';
import { destroyClients, makeClients } from '../../aws/clients.js';
import { configSchema, type ConfigInput } from '../../config/schema.js';
import type { DbConnectionOptions } from '../../inventory/db.js';
import { ensureEmulatorCredentials, resetMoto } from '../emulator.js';
import { provisionSandbox, SANDBOX_CONFIG_FILE, SANDBOX_STATE_FILE, writeSandboxConfig, type SandboxState } from '../provision.js';
import { DATA_FAULTS } from './data.js';
import { EFFECTIVE_FAULTS } from './effective.js';
import { IAM_FAULTS } from './iam.js';
import { INSIGHT_FAULTS } from './insight.js';
import { NETWORK_FAULTS } from './network.js';
import { OVALEDGE_FAULTS } from './ovaledge.js';
import { STORAGE_FAULTS } from './storage.js';
import { VARIANTS } from './variants.js';
import { WORKSPACE_FAULTS } from './workspace.js';
import type { Fault } from './support.js';

export type { Fault, FaultContext, FaultStatus } from './support.js';

/** Written by startSandboxStack (src/sandbox/stack.ts): the app's database options and base URL, mode 0600. */
export const SANDBOX_APP_FILE = 'sandbox-app.json';

/**
 * Every fault, grouped by the runbook steps they break, then the correct deployments of other
 * shapes (variants.ts: nothing expected to change).
 */
export const FAULTS: Fault[] = [...NETWORK_FAULTS, ...STORAGE_FAULTS, ...IAM_FAULTS, ...DATA_FAULTS, ...INSIGHT_FAULTS, ...OVALEDGE_FAULTS, ...WORKSPACE_FAULTS, ...EFFECTIVE_FAULTS, ...VARIANTS];

export function findFault(name: string): Fault | undefined {
  return FAULTS.find((f) => f.name === name);
}

export interface SandboxLocation {
  endpoint: string;
  outDir: string;
  /** Credentials of the sandbox's account (a role assumed into it); absent: the default chain. */
  credentials?: AwsCredentials;
}

export async function readSandboxState(outDir: string): Promise<SandboxState> {
  return JSON.parse(await readFile(join(outDir, SANDBOX_STATE_FILE), 'utf8')) as SandboxState;
}

async function readSandboxConfig(outDir: string): Promise<ConfigInput> {
  const path = join(outDir, SANDBOX_CONFIG_FILE);
  const raw: unknown = parse(await readFile(path, 'utf8'));
  const checked = configSchema.safeParse(raw);
  if (!checked.success) throw new Error(`${path} is not a valid askedgi-doctor config: ${checked.error.message}`);
  // The raw object, not the parsed one: the file is rewritten without the schema's defaults.
  return raw as ConfigInput;
}

/** The sandbox database's options from <outDir>/sandbox-app.json (written by startSandboxStack); undefined without one. */
async function readSandboxDatabase(outDir: string): Promise<DbConnectionOptions | undefined> {
  let raw: string;
  try {
    raw = await readFile(join(outDir, SANDBOX_APP_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return (JSON.parse(raw) as { database?: DbConnectionOptions }).database;
}

/** Applies a named fault to the sandbox in outDir, then rewrites its config and state files. */
export async function breakSandbox(name: string, where: SandboxLocation): Promise<Fault> {
  const fault = findFault(name);
  if (!fault) throw new Error(`Unknown fault "${name}"; known faults: ${FAULTS.map((f) => f.name).join(', ')}.`);
  const state = await readSandboxState(where.outDir);
  const config = await readSandboxConfig(where.outDir);
  ensureEmulatorCredentials();
  const clients = makeClients({ region: state.region, endpoint: where.endpoint, ...(where.credentials ? { credentials: where.credentials } : {}) });
  try {
    const database = await readSandboxDatabase(where.outDir);
    await fault.apply({ clients, state, config, region: state.region, dir: where.outDir, database });
  } finally {
    destroyClients(clients);
  }
  await writeSandboxConfig(where.outDir, config);
  await writeFile(join(where.outDir, SANDBOX_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  return fault;
}

/** Wipes the emulator and provisions a fresh, correct sandbox. */
export async function sandboxUp(opts: SandboxLocation & { region?: string }): Promise<SandboxState> {
  await resetMoto(opts.endpoint);
  return provisionSandbox({ endpoint: opts.endpoint, region: opts.region ?? 'us-east-1', outDir: opts.outDir });
}

/** Wipes everything the sandbox created in the emulator. */
export async function sandboxDown(endpoint: string): Promise<void> {
  await resetMoto(endpoint);
}
