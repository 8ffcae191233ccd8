// The by-name policy checks (runbook steps 4 and 5): the runbook names the policy to attach, but
// what keeps the service alive is what the principal may do, which the effective-permissions checks
// decide from every policy that reaches it. So the named policy found by any route (attached,
// inline, through an IAM group) passes, and its absence is a `warn` (code policy-name-absent) that
// points at the authoritative check, never a `fail`.
import type { Config } from '../../config/schema.js';
import { error, fail, pass, warn } from '../../engine/finding.js';
import type { Inventory } from '../../inventory/types.js';
import type { Finding } from '../../model.js';

export const NAMED_POLICY_CODES = ['policy-name-absent', 'principal-missing'];

/** A policy by the route it reaches the principal. */
interface Route {
  kind: 'managed' | 'inline';
  name: string;
  arn?: string;
  group?: string;
}

const label = (r: Route) => `${r.kind} ${r.name}${r.group ? ` (group ${r.group})` : ''}`;

async function routes(inv: Inventory, kind: 'role' | 'user', name: string): Promise<{ arn: string; name: string; routes: Route[] } | undefined> {
  if (kind === 'role') {
    const role = await inv.iamRole(name);
    if (!role) return undefined;
    return { arn: role.arn, name: role.name, routes: [...role.attachedPolicies.map((p) => ({ kind: 'managed' as const, ...p })), ...role.inlinePolicies.map((p) => ({ kind: 'inline' as const, name: p }))] };
  }
  const user = await inv.iamUser(name);
  if (!user) return undefined;
  const attached: Route[] = user.attachedPolicies.map((p) => ({ kind: 'managed', ...p }));
  // Inline and group policies: read only when the attached ones do not carry the name.
  const more = await inv.principalPolicies('user', name);
  const others: Route[] = (more?.policies ?? [])
    .filter((p) => p.origin === 'inline' || p.origin === 'group-managed' || p.origin === 'group-inline')
    .map((p) => ({ kind: p.origin === 'group-managed' ? 'managed' : 'inline', name: p.name, ...(p.arn ? { arn: p.arn } : {}), ...(p.group ? { group: p.group } : {}) }));
  return { arn: user.arn, name: user.name, routes: [...attached, ...others] };
}

export async function namedPolicy(inv: Inventory, cfg: Config, kind: 'role' | 'user'): Promise<Finding[]> {
  const name = kind === 'role' ? cfg.iam.taskRole : cfg.iam.user;
  const policy = kind === 'role' ? cfg.iam.taskRolePolicy : cfg.iam.userPolicy;
  const what = kind === 'role' ? 'IAM role' : 'IAM user';
  const authoritative = kind === 'role' ? 'task-role-effective-permissions' : 'edgi-user-effective-permissions';
  const principal = await routes(inv, kind, name);
  if (!principal) {
    // The user is this check's to report (step 4); the task role's existence is task-role-trust's.
    if (kind === 'role') return [error(`${what} ${name} not found; cannot verify that it has the policy ${policy}.`, { resource: name, expected: `a role ${name}`, found: 'none', code: 'principal-missing' })];
    return [fail(`${what} ${name} not found.`, { resource: name, expected: `an ${what} ${name} with policy ${policy}`, found: 'none', code: 'principal-missing' })];
  }
  const named = principal.routes.find((r) => r.name === policy);
  if (named) {
    const via = named.group ? ` through IAM group ${named.group}` : '';
    const arn = named.arn ? ` (${named.arn})` : '';
    return [pass(`${what} ${principal.name} has the ${named.kind} policy ${policy}${via}${arn}.`, { resource: principal.arn })];
  }
  const found = principal.routes.map(label);
  return [
    warn(
      `${what} ${principal.name} has no policy named ${policy} (attached, inline or through a group); the permissions may reach it through the policies it has, which ${authoritative} evaluates.`,
      { resource: principal.arn, expected: `policy ${policy}, or the same permissions by another route`, found: found.length > 0 ? found.join(', ') : 'no policies', code: 'policy-name-absent' },
    ),
  ];
}
