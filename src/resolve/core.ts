// The resolver layer between the inventory and the checks (DESIGN.md "Resolvers and effective
// reasoning"). A resolver turns raw inventory data into one role of the deployment (the Insight
// service and its Edgi group, a task definition, the bucket, …). Each resolver is owned by one root
// check, which reports why it could not resolve; every other check that calls it is skipped
// "because <root> failed" when the root runs in the same run, and reports the reason as `error` when
// it runs without it. So a check's prerequisites follow from the resolvers it calls: nothing is
// declared by hand, and the dependency graph is recorded while checks run (src/resolve/graph.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../config/schema.js';
import { error } from '../engine/finding.js';
import { InventoryError, type Inventory } from '../inventory/types.js';
import type { Finding } from '../model.js';

export type Resolution<T> = { ok: true; value: T } | { ok: false; findings: Finding[] };

/** What a resolver may use: the inventory, the config, and other resolvers. */
export interface ResolveScope {
  inv: Inventory;
  cfg: Config;
  need<U>(resolver: Resolver<U>): Promise<U>;
}

export interface Resolver<T> {
  /** A name for the graph and messages, e.g. "insight-task-definition". */
  readonly id: string;
  /** The id of the check that reports this resolver's failure. */
  readonly root: string;
  readonly resolve: (scope: ResolveScope) => Promise<Resolution<T>>;
}

export function defineResolver<T>(id: string, root: string, resolve: (scope: ResolveScope) => Promise<Resolution<T>>): Resolver<T> {
  return { id, root, resolve };
}

/**
 * Thrown by `need` when a resolver (or one it depends on) could not resolve. `root` is the check
 * that reports the cause; `findings` are what that root reports.
 */
export class Unresolved extends Error {
  constructor(
    readonly root: string,
    readonly findings: Finding[],
  ) {
    super(`Not run because ${root} failed.`);
    this.name = 'Unresolved';
  }
}

/** The finding for an inventory read that failed (denied, throttled past retries, …). */
export function inventoryErrorFinding(err: InventoryError): Finding {
  return error(err.message, { code: err.kind, resource: err.resource, ...(err.expected ? { expected: err.expected } : {}) });
}

/** Which check is running, for the dependency graph. Set by the runner around each check. */
interface CheckScope {
  checkId: string;
  record(checkId: string, resolverId: string): void;
}

const current = new AsyncLocalStorage<CheckScope>();

/** Run `fn` as check `checkId`, recording every resolver it calls. */
export function asCheck<T>(checkId: string, record: CheckScope['record'], fn: () => Promise<T>): Promise<T> {
  return current.run({ checkId, record }, fn);
}

/** Edges between resolvers, recorded when a resolver is first computed (memoized afterwards). */
type ResolverEdges = Map<string, { root: string; uses: Set<string> }>;

interface Session {
  memo: Map<Resolver<unknown>, Promise<unknown>>;
  edges: ResolverEdges;
}

// One session per inventory and config: resolvers are computed once per run, like inventory reads.
const sessions = new WeakMap<Inventory, WeakMap<Config, Session>>();

function session(inv: Inventory, cfg: Config): Session {
  let byCfg = sessions.get(inv);
  if (!byCfg) sessions.set(inv, (byCfg = new WeakMap()));
  let s = byCfg.get(cfg);
  if (!s) byCfg.set(cfg, (s = { memo: new Map(), edges: new Map() }));
  return s;
}

/** The edges recorded so far between resolvers for this inventory and config. */
export function resolverEdges(inv: Inventory, cfg: Config): ResolverEdges {
  return session(inv, cfg).edges;
}

function compute<T>(s: Session, inv: Inventory, cfg: Config, r: Resolver<T>): Promise<T> {
  let p = s.memo.get(r) as Promise<T> | undefined;
  if (p) return p;
  const node = { root: r.root, uses: new Set<string>() };
  s.edges.set(r.id, node);
  const scope: ResolveScope = {
    inv,
    cfg,
    need: (sub) => {
      node.uses.add(sub.id);
      return compute(s, inv, cfg, sub);
    },
  };
  p = (async () => {
    let res: Resolution<T>;
    try {
      res = await r.resolve(scope);
    } catch (err) {
      if (err instanceof InventoryError) throw new Unresolved(r.root, [inventoryErrorFinding(err)]);
      throw err;
    }
    if (!res.ok) throw new Unresolved(r.root, res.findings);
    return res.value;
  })();
  s.memo.set(r, p);
  return p;
}

/**
 * The value of a resolver, or an `Unresolved` thrown for the runner: it reports the root's findings
 * when the calling check is that root, a skip when the root runs too, and `error` otherwise.
 */
export function need<T>(inv: Inventory, cfg: Config, resolver: Resolver<T>): Promise<T> {
  const scope = current.getStore();
  scope?.record(scope.checkId, resolver.id);
  return compute(session(inv, cfg), inv, cfg, resolver);
}

/** For a root check: the resolution itself, so it can add findings of its own on success. */
export async function resolve<T>(inv: Inventory, cfg: Config, resolver: Resolver<T>): Promise<Resolution<T>> {
  try {
    return { ok: true, value: await need(inv, cfg, resolver) };
  } catch (err) {
    if (err instanceof Unresolved && err.root === resolver.root) return { ok: false, findings: err.findings };
    throw err;
  }
}
