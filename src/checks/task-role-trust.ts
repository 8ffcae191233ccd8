import type { PolicyStatement } from '../inventory/types.js';
import { fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';

const ECS_TASKS = 'ecs-tasks.amazonaws.com';

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Service principals of a statement ("*" as a whole principal is not a service and is not counted). */
const services = (s: PolicyStatement): string[] => (s.Principal && typeof s.Principal === 'object' ? list(s.Principal.Service) : []);

// IAM action names are case-insensitive; "sts:*" and "*" include sts:AssumeRole.
const allowsAssumeRole = (s: PolicyStatement): boolean =>
  list(s.Action).some((a) => ['sts:assumerole', 'sts:*', '*'].includes(a.toLowerCase()));

const trustsEcsTasks = (s: PolicyStatement): boolean => services(s).includes(ECS_TASKS) && allowsAssumeRole(s);

function describe(s: PolicyStatement): string {
  const principal = typeof s.Principal === 'string' ? s.Principal : Object.entries(s.Principal ?? {}).map(([k, v]) => `${k} ${list(v).join(', ')}`).join('; ');
  return `${s.Effect ?? '?'} ${principal || 'no principal'} (${list(s.Action).join(', ') || 'no action'})`;
}

const check: Check = {
  id: 'task-role-trust',
  title: 'The AskEdgi ECS task role trusts ecs-tasks.amazonaws.com with sts:AssumeRole',
  step: 5,
  severity: 'critical',
  remediation:
    'Modify the trust relationship of the AskEdgi ECS task role (runbook step 5) so that it allows the service principal ecs-tasks.amazonaws.com the action sts:AssumeRole; without it ECS cannot give the task role to the Edgi tasks.',
  codes: ['role-not-found', 'trust-denies', 'not-trusted'],
  permissions: ['iam:GetRole'],
  async run(inv, cfg) {
    const roleName = cfg.iam.taskRole;
    const role = await inv.iamRole(roleName);
    if (!role) {
      return [fail(`IAM role ${roleName} not found.`, { code: 'role-not-found', resource: roleName, expected: `a role ${roleName} trusted by ${ECS_TASKS}`, found: 'none' })];
    }
    const raw = role.trustPolicy.Statement;
    const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const expected = `Allow Service ${ECS_TASKS} sts:AssumeRole`;
    const denied = statements.find((s) => s.Effect === 'Deny' && trustsEcsTasks(s));
    if (denied) {
      return [fail(`IAM role ${role.name} trust policy denies ${ECS_TASKS} sts:AssumeRole.`, { code: 'trust-denies', resource: role.arn, expected, found: describe(denied) })];
    }
    if (statements.some((s) => s.Effect === 'Allow' && trustsEcsTasks(s))) {
      return [pass(`IAM role ${role.name} trusts ${ECS_TASKS} with sts:AssumeRole.`, { resource: role.arn })];
    }
    return [
      fail(`IAM role ${role.name} does not trust ${ECS_TASKS} with sts:AssumeRole.`, {
        code: 'not-trusted',
        resource: role.arn,
        expected,
        found: statements.length > 0 ? statements.map(describe).join('; ') : 'a trust policy with no statements',
      }),
    ];
  },
};

export default check;
