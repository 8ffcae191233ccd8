// askedgi-doctor init --cluster <name>: discover the deployment read-only and write a commented config.
// Exit 0: complete; 1: written with decisions left (the "decide:" list); 2: nothing written (the file
// exists without --force, credentials unusable, the cluster unknown, a read denied).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { CONFIG_SCHEMA_FILE } from '../config/json-schema.js';
import { resolveEndpoint } from '../config/resolve.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { InventoryError } from '../inventory/types.js';
import { LiveInventory } from '../inventory/live.js';
import { sanitizeTerminal } from '../report/console.js';
import { repoRoot } from '../package-root.js';
import { applyAwsTarget, preflight, type AwsTargetOptions } from './aws-target.js';
import { writeErr, writeOut } from './output.js';

export interface InitOptions extends AwsTargetOptions {
  cluster: string;
  out: string;
  force?: boolean;
  endpoint?: string;
}

/** The schema reference for the file at `path`: relative to the shipped schema, as the sandbox's writer does. */
function schemaReference(path: string): string {
  return relative(dirname(path), join(repoRoot(), CONFIG_SCHEMA_FILE)).split('\\').join('/');
}

/**
 * The region of the AWS profile (`region` in ~/.aws/config, AWS_CONFIG_FILE), as the SDK resolves it:
 * an SSO profile usually carries one, and init should not ask for what the profile already says.
 */
async function profileRegion(): Promise<string | undefined> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  const client = new STSClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

export async function initCommand(opts: InitOptions, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const path = resolve(opts.out);
  if (existsSync(path) && !opts.force) throw new UsageError(`${opts.out} exists; init does not overwrite it without --force`);
  applyAwsTarget(opts, env);
  const region = opts.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || (await profileRegion()));
  if (!region) throw new UsageError('init needs a region: pass --region, set AWS_REGION, or set region in the AWS profile');
  const endpoint = resolveEndpoint(opts.endpoint, undefined, env);
  const inventory = new LiveInventory({ region, ...(endpoint ? { endpoint } : {}) });
  const { discover } = await import('../init/discover.js');
  const { decisions, renderConfig } = await import('../init/render.js');
  let text: string;
  let decide: string[];
  try {
    await preflight(inventory, region, env);
    const cluster = await inventory.cluster(opts.cluster);
    if (!cluster || cluster.status !== 'ACTIVE') {
      throw new UsageError(`ECS cluster ${opts.cluster} not found in ${region}${cluster ? ` (status ${cluster.status})` : ''}; check --cluster, --region and --profile`);
    }
    const found = await discover(inventory, { cluster: opts.cluster, region, ...(opts.endpoint ? { endpoint } : {}) });
    decide = decisions(found);
    text = renderConfig(found, { schema: schemaReference(path), header: `Written by askedgi-doctor init --cluster ${opts.cluster} (${region}) on ${new Date().toISOString().slice(0, 10)}; read-only discovery.` });
  } catch (err) {
    // A denied or failed read: one line, nothing written (the inventory's message names the action).
    if (err instanceof InventoryError) throw new UsageError(`init: ${err.message}`, { cause: err });
    throw err;
  } finally {
    inventory.destroy();
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
  if (decide.length === 0) {
    await writeOut(`Wrote ${opts.out}: every value discovered. Next: askedgi-doctor run -c ${opts.out}\n`);
    return EXIT.ok;
  }
  await writeOut(`Wrote ${opts.out} with ${decide.length} decision(s) left, commented out in the file.\n`);
  writeErr(sanitizeTerminal(`decide:\n${decide.map((d) => `  - ${d}`).join('\n')}\n`));
  return EXIT.findings;
}
