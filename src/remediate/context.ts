// What every remediation command needs: the config, the target, a (read-only) inventory for the
// reads the checks also do, the SDK clients that write, and the database connection options.
import { CHECKS } from '../checks/index.js';
import { destroyClients, makeClients, type AwsClients } from '../aws/clients.js';
import { LazyClients } from '../aws/lazy-clients.js';
import { loadConfig } from '../config/load.js';
import { applyAwsTarget, withRegion, type AwsTargetOptions } from '../commands/aws-target.js';
import { resolveTarget } from '../config/resolve.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { databaseAccess } from '../inventory/db-connect.js';
import type { DbConnectionOptions } from '../inventory/db.js';
import { LiveInventory } from '../inventory/live.js';
import type { Inventory } from '../inventory/types.js';
import type { DbConfig } from './db.js';
import type { Target } from './types.js';

export interface CommonOptions extends AwsTargetOptions {
  config: string;
  endpoint?: string;
  out: string;
  auditLog?: string;
}

export interface RemediateContext {
  cfg: Config;
  target: Target;
  /** The (memoized, read-only) inventory of this command: what the plan reads, like the checks. */
  inventory: LiveInventory;
  /** A new inventory, nothing memoized: state read now (drift checks before a change, post-checks). Closed with the context. */
  fresh(): Inventory;
  /** Clients for the writes (fewer retries than reads: a write is retried by re-applying the plan). */
  writer: AwsClients;
  dbConfig(): DbConfig;
  dbOptions(): Promise<DbConnectionOptions>;
  close(): void;
}

export function openContext(opts: CommonOptions): RemediateContext {
  // --profile / --region as on run: AWS_PROFILE for the SDK chain; --region over the config's region.
  applyAwsTarget(opts);
  const cfg = withRegion(loadConfig(opts.config, { checkIds: CHECKS.map((c) => c.id) }), opts);
  const target = resolveTarget(cfg, opts.endpoint, process.env);
  const endpoint = target.endpoint;
  const access = databaseAccess(cfg, process.env);
  const inventory = new LiveInventory({ region: cfg.region!, endpoint, timeouts: cfg.aws.timeouts, database: access });
  const writer = makeClients({ region: cfg.region!, endpoint, maxAttempts: 3, timeouts: cfg.aws.timeouts });
  const freshOnes: LiveInventory[] = [];
  // The database secret is read with clients of the remediation's own (not the inventory's internals).
  let secretReader: LazyClients | undefined;
  return {
    cfg,
    target,
    inventory,
    fresh() {
      const inv = new LiveInventory({ region: cfg.region!, endpoint, timeouts: cfg.aws.timeouts });
      freshOnes.push(inv);
      return inv;
    },
    writer,
    dbConfig() {
      if (!cfg.database) throw new UsageError('reset-workspace needs the database: set database.url (env:NAME) or database.fromSecret in the config');
      return cfg.database;
    },
    async dbOptions() {
      if ('unavailable' in access) throw new UsageError(`the database cannot be reached: ${access.unavailable}`);
      secretReader ??= new LazyClients({ region: cfg.region!, endpoint, timeouts: cfg.aws.timeouts });
      return access.connect(secretReader, inventory);
    },
    close() {
      inventory.destroy();
      for (const inv of freshOnes) inv.destroy();
      destroyClients(writer);
      secretReader?.destroy();
    },
  };
}

/** Plans and backups name the account, region, cluster and endpoint they were made for; another target is refused. */
export function targetDifferences(planned: Target, now: Target, plannedAccount: string, account: string): string[] {
  const out: string[] = [];
  if (plannedAccount !== account) out.push(`account: planned ${plannedAccount}, caller now in ${account}`);
  if (planned.region !== now.region) out.push(`region: planned ${planned.region}, now ${now.region}`);
  if (planned.cluster !== now.cluster) out.push(`cluster: planned ${planned.cluster}, now ${now.cluster}`);
  if ((planned.endpoint ?? '') !== (now.endpoint ?? '')) out.push(`endpoint: planned ${planned.endpoint ?? '(AWS)'}, now ${now.endpoint ?? '(AWS)'}`);
  return out;
}
