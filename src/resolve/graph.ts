// The dependency graph of a run, derived from the resolvers each check called (and the resolvers
// those called), plus the `needs` a plugin check declares. Nothing here is kept by hand.
import type { Check } from '../engine/check.js';
import { DEPENDS_ON } from './dependencies.generated.js';

/** check id → the root checks whose failure makes it skip, transitively, without itself. */
export type DependencyGraph = Map<string, string[]>;

export function dependencyGraph(
  checks: readonly Check[],
  uses: ReadonlyMap<string, ReadonlySet<string>>,
  edges: ReadonlyMap<string, { root: string; uses: ReadonlySet<string> }>,
): DependencyGraph {
  const rootsOfResolver = (id: string, seen = new Set<string>()): Set<string> => {
    const out = new Set<string>();
    if (seen.has(id)) return out;
    seen.add(id);
    const node = edges.get(id);
    if (!node) return out;
    out.add(node.root);
    for (const sub of node.uses) for (const r of rootsOfResolver(sub, seen)) out.add(r);
    return out;
  };
  const direct = new Map<string, Set<string>>();
  for (const c of checks) {
    const roots = new Set<string>(c.needs ?? []);
    for (const r of uses.get(c.id) ?? []) for (const root of rootsOfResolver(r)) roots.add(root);
    roots.delete(c.id);
    direct.set(c.id, roots);
  }
  // Close over roots that themselves depend on other roots (a plugin needing a dependent check).
  const graph: DependencyGraph = new Map();
  const closure = (id: string, seen: Set<string>): Set<string> => {
    const out = new Set<string>();
    for (const r of direct.get(id) ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      out.add(r);
      for (const x of closure(r, seen)) out.add(x);
    }
    return out;
  };
  for (const c of checks) {
    const order = checks.map((x) => x.id);
    graph.set(c.id, [...closure(c.id, new Set([c.id]))].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  }
  return graph;
}

/** The checks that skip when `root` fails: every check whose graph entry names it. */
export function dependentsOf(graph: DependencyGraph, root: string): string[] {
  return [...graph].filter(([, roots]) => roots.includes(root)).map(([id]) => id);
}

/** What a check depends on: the recorded graph of the built-in catalog, plus a plugin's declared `needs`. */
export function dependsOn(check: Check): string[] {
  return [...new Set([...(DEPENDS_ON[check.id] ?? []), ...(check.needs ?? [])])];
}
