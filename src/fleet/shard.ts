// --shard i/n: a stable subset of the fleet's targets, so a CI matrix (or several ECS tasks) can split
// a fleet across machines. A target's shard depends only on its name and n, never on the file's order
// or on the other targets: adding a customer moves no other customer to another shard.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based, as GitLab's CI_NODE_INDEX and vitest's --shard count. */
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard: expected i/n with 1 <= i <= n, e.g. 2/4; got ${JSON.stringify(value.slice(0, 40))}`);
  return { index, count };
}

/** The shard (1-based) of a target name among n: the first 32 bits of its SHA-256, modulo n. */
export function shardOf(name: string, count: number): number {
  return (createHash('sha256').update(name, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

export function inShard<T extends { name: string }>(targets: readonly T[], shard: Shard | undefined): T[] {
  return shard ? targets.filter((t) => shardOf(t.name, shard.count) === shard.index) : [...targets];
}
