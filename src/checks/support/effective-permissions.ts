// Effective permissions of one principal: each required (action, resource) decided by IAM's own
// simulator when the caller may use it, else by the doctor's evaluation of the policy documents
// (src/effective/iam.ts). One finding per missing permission, naming principal, action, resource
// and the policy, boundary or Deny responsible; an undecidable Condition is a warn.
import type { Config } from '../../config/schema.js';
import { describePolicy, evaluate, type Decision, type RequestContext } from '../../effective/iam.js';
import { PRINCIPAL_LABEL, requirementsFor, resourcesFor, type DeploymentFacts, type Principal, type Requirement } from '../../effective/requirements.js';
import { InventoryError, type Inventory, type PrincipalPolicies, type SimulationResult } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { fail, pass, warn } from '../../engine/finding.js';

/** What the evaluating code reads: listed in each check's permissions. */
export const POLICY_READS = ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:SimulatePrincipalPolicy'];
export const ROLE_READS = ['sts:GetCallerIdentity', 'iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy', ...POLICY_READS];
export const USER_READS = [
  'sts:GetCallerIdentity',
  'iam:GetUser',
  'iam:ListAttachedUserPolicies',
  'iam:ListAccessKeys',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:ListGroupsForUser',
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
  ...POLICY_READS,
];

/** One (action, resource) the principal must be able to perform, and why. */
interface Need {
  action: string;
  resource: string;
  why: string;
}

/** What needsOf and effectivePermissions report. */
export const EFFECTIVE_PERMISSION_CODES = ['unverifiable', 'explicit-deny', 'boundary-denies', 'not-allowed', 'undecided', 'simulator-no-answer', 'context-missing', 'principal-not-found'] as const;

export interface PrincipalRef {
  kind: 'role' | 'user';
  /** Name or ARN. */
  id: string;
  /** "IAM role AskEdgiEcsTaskRole (AskEdgi ECS task role)" */
  label?: string;
}

/** The needs of a principal's requirements on the deployment; requirements whose resources did not resolve are reported as `unresolved`. */
export function needsOf(principal: Principal, cfg: Config, facts: DeploymentFacts, unresolvedWhy: Partial<Record<string, string>> = {}): { needs: Need[]; unresolved: Finding[] } {
  const needs: Need[] = [];
  const unresolved: Finding[] = [];
  for (const req of requirementsFor(principal, cfg.permissions) as Requirement[]) {
    const resources = resourcesFor(req.resource, facts);
    if (resources === undefined) {
      const why = unresolvedWhy[req.resource] ?? `the deployment's ${req.resource} could not be resolved`;
      unresolved.push(warn(`Cannot verify that the ${PRINCIPAL_LABEL[principal]} may ${req.actions.join(', ')}: ${why}.`, { code: 'unverifiable', expected: `${req.actions.join(', ')} on ${req.resource}`, found: 'resource not resolved' }));
      continue;
    }
    for (const resource of resources) for (const action of req.actions) needs.push({ action, resource, why: req.why });
  }
  return { needs, unresolved };
}

function contextFor(p: PrincipalPolicies, facts: DeploymentFacts): RequestContext {
  return {
    'aws:PrincipalArn': p.arn,
    'aws:PrincipalAccount': facts.account,
    'aws:PrincipalType': p.kind === 'role' ? 'AssumedRole' : 'User',
    'aws:RequestedRegion': facts.region,
    // The Edgi user's key is used by the OvalEdge UI and Job to call S3 and SQS themselves (no
    // service calls on its behalf); aws:ViaAWSService is in every request context.
    ...(p.kind === 'user' ? { 'aws:username': p.name, 'aws:ViaAWSService': 'false' } : {}),
  };
}

/**
 * Keys absent from the principal's requests. The Edgi user signs with a long-term access key
 * (runbook step 4), and such requests carry no aws:MultiFactorAuthPresent or MultiFactorAuthAge:
 * a "force MFA" Deny written with BoolIfExists applies to them, one written with Bool does not.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
 */
function absentFor(p: PrincipalPolicies): string[] {
  return p.kind === 'user' ? ['aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge'] : [];
}

/**
 * What the request carries for one action, as the service sends it, beyond the principal's keys:
 * ECS passes the Data task's roles to ecs-tasks.amazonaws.com (iam:PassedToService, the condition
 * AWS recommends on iam:PassRole), and RunTask, StopTask and DescribeTasks name the cluster
 * (ecs:cluster, the condition AWS recommends to scope them). Without them a policy written that
 * way is undecidable (a warn) although it allows exactly what the services do.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 */
export function actionContext(action: string, facts: DeploymentFacts): RequestContext {
  const a = action.toLowerCase();
  if (a === 'iam:passrole') return { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
  if (facts.cluster && ['ecs:runtask', 'ecs:stoptask', 'ecs:describetasks'].includes(a)) {
    return { 'ecs:cluster': `arn:${facts.partition}:ecs:${facts.region}:${facts.account}:cluster/${facts.cluster}` };
  }
  return {};
}

function policyList(p: PrincipalPolicies): string {
  const all = [...p.policies.map(describePolicy), ...(p.boundary ? [describePolicy(p.boundary)] : [])];
  return all.length > 0 ? all.join(', ') : 'no policies';
}

function ownFinding(label: string, arn: string, need: Need, d: Decision, p: PrincipalPolicies): Finding | undefined {
  const what = `${label} may not ${need.action} on ${need.resource}`;
  switch (d.decision) {
    case 'allowed':
      return undefined;
    case 'explicit-deny':
      return fail(`${what}: an explicit Deny in ${describePolicy(d.by.policy)} (statement ${d.by.sid}) wins; ${need.why}.`, {
        code: 'explicit-deny',
        resource: arn,
        expected: `${need.action} allowed on ${need.resource}`,
        found: `denied by ${describePolicy(d.by.policy)}, statement ${d.by.sid}`,
      });
    case 'implicit-deny':
      if (d.reason === 'boundary') {
        return fail(`${what}: the ${describePolicy(d.boundary!)} does not allow it; ${need.why}.`, {
          code: 'boundary-denies',
          resource: arn,
          expected: `${need.action} allowed by the identity policies and the permissions boundary`,
          found: `capped by ${describePolicy(d.boundary!)}`,
        });
      }
      return fail(`${what}: no policy allows it; ${need.why}.`, { code: 'not-allowed', resource: arn, expected: `${need.action} allowed on ${need.resource}`, found: policyList(p) });
    case 'undecidable':
      return warn(`${label}: whether it may ${need.action} on ${need.resource} cannot be decided: ${d.why} (statement ${d.by.sid} of ${describePolicy(d.by.policy)}).`, {
        code: 'undecided',
        resource: arn,
        expected: `${need.action} allowed unconditionally`,
        found: `conditional: statement ${d.by.sid} of ${describePolicy(d.by.policy)}`,
      });
  }
}

function simulatedFinding(label: string, arn: string, need: Need, r: SimulationResult | undefined): Finding | undefined {
  const what = `${label} may not ${need.action} on ${need.resource}`;
  if (!r) return warn(`${label}: IAM's simulator gave no answer for ${need.action} on ${need.resource}.`, { code: 'simulator-no-answer', resource: arn, expected: `${need.action} allowed`, found: 'no answer' });
  if (r.decision === 'allowed') return undefined;
  if (r.missingContextValues.length > 0) {
    return warn(`${label}: whether it may ${need.action} on ${need.resource} depends on ${r.missingContextValues.join(', ')}, which the simulator was not given.`, {
      code: 'context-missing',
      resource: arn,
      expected: `${need.action} allowed unconditionally`,
      found: `${r.decision} without ${r.missingContextValues.join(', ')}`,
    });
  }
  const by = r.matchedStatements.length > 0 ? r.matchedStatements.join(', ') : undefined;
  if (r.decision === 'explicitDeny') {
    return fail(`${what}: an explicit Deny wins (${by ?? 'policy not named'}); ${need.why}.`, { code: 'explicit-deny', resource: arn, expected: `${need.action} allowed on ${need.resource}`, found: `explicitDeny by ${by ?? 'a policy'}` });
  }
  if (r.allowedByBoundary === false) {
    return fail(`${what}: the permissions boundary does not allow it; ${need.why}.`, { code: 'boundary-denies', resource: arn, expected: `${need.action} allowed by the permissions boundary`, found: 'implicitDeny by the permissions boundary' });
  }
  return fail(`${what}: no policy allows it; ${need.why}.`, { code: 'not-allowed', resource: arn, expected: `${need.action} allowed on ${need.resource}`, found: 'implicitDeny' });
}

/**
 * Groups needs by resource for one simulator call each (IAM takes several actions and resources per
 * call). The first call goes alone (a simulator the caller may not use, or that is not implemented,
 * fails once, not once per resource), then all the others at once: two round trips, not one per resource.
 */
async function simulate(inv: Inventory, arn: string, needs: Need[]): Promise<Map<string, SimulationResult>> {
  const out = new Map<string, SimulationResult>();
  const byResource = new Map<string, string[]>();
  for (const n of needs) byResource.set(n.resource, [...new Set([...(byResource.get(n.resource) ?? []), n.action])]);
  const [first, ...rest] = [...byResource].map(([resource, actions]) => () => inv.simulatePrincipalPolicy(arn, actions, [resource]));
  const answers = first ? [await first(), ...(await Promise.all(rest.map((ask) => ask())))] : [];
  for (const r of answers.flat()) out.set(`${r.action}\u0000${r.resource}`, r);
  return out;
}

/**
 * Decides every need of one principal. Returns the findings, and which path decided them:
 * "iam:SimulatePrincipalPolicy" or "the doctor's evaluation of <policies>".
 */
export async function effectivePermissions(inv: Inventory, cfg: Config, principal: PrincipalRef, needs: Need[], facts: DeploymentFacts): Promise<Finding[]> {
  // The simulator needs only the principal's ARN (GetRole/GetUser), not its policy documents (three
  // reads deep): it starts as soon as the ARN is known. Its failure is handled below, where it is
  // awaited; when the ARN cannot be read this way, the simulator is asked with the policies' ARN below.
  const who = cfg.permissions.simulate && needs.length > 0 ? (principal.kind === 'role' ? inv.iamRole(principal.id) : inv.iamUser(principal.id)) : undefined;
  const early = who?.then(
    (w) => (w ? simulate(inv, w.arn, needs) : undefined),
    () => undefined,
  );
  early?.catch(() => undefined);
  const p = await inv.principalPolicies(principal.kind, principal.id);
  if (!p) {
    return [fail(`IAM ${principal.kind} ${principal.id} not found; nothing it needs can be performed.`, { code: 'principal-not-found', resource: principal.id, expected: `an IAM ${principal.kind} ${principal.id}`, found: 'none' })];
  }
  const label = principal.label ?? `IAM ${p.kind} ${p.name}`;
  if (needs.length === 0) return [pass(`${label} needs no permission on this deployment's resources.`, { resource: p.arn })];

  let path: string | undefined;
  let findings: Finding[] | undefined;
  if (cfg.permissions.simulate) {
    try {
      const answers = (await early) ?? (await simulate(inv, p.arn, needs));
      findings = needs.flatMap((n) => simulatedFinding(label, p.arn, n, answers.get(`${n.action}\u0000${n.resource}`) ?? answers.get(`${n.action}\u0000*`)) ?? []);
      path = 'decided by IAM (iam:SimulatePrincipalPolicy)';
    } catch (err) {
      if (!(err instanceof InventoryError)) throw err;
      // Denied to the caller, or not implemented (the emulator): the doctor evaluates the documents itself.
      const reason = err.kind === 'access-denied' ? 'iam:SimulatePrincipalPolicy was denied' : 'iam:SimulatePrincipalPolicy was unavailable';
      path = `decided by the doctor's own evaluation (${reason}) of ${policyList(p)}`;
    }
  } else {
    path = `decided by the doctor's own evaluation of ${policyList(p)}`;
  }
  if (!findings) {
    const context = contextFor(p, facts);
    const absent = absentFor(p);
    findings = needs.flatMap((n) => ownFinding(label, p.arn, n, evaluate(p.policies, p.boundary, { action: n.action, resource: n.resource, context: { ...context, ...actionContext(n.action, facts) }, absent }), p) ?? []);
  }
  // Several resources (e.g. two queues) may fail for the same reason: each stays its own finding.
  const tagged = findings.map((f) => ({ ...f, message: f.message.replace(/\.$/, ` [${path.startsWith('decided by IAM') ? 'IAM simulator' : 'own evaluation'}].`) }));
  if (tagged.length > 0) return tagged;
  return [pass(`${label} may perform all ${needs.length} required action-resource pairs; ${path}.`, { resource: p.arn })];
}
