// An askedgi-doctor plugin check: every OvalEdge and Edgi task definition carries the customer's
// tenant id, a deployment-specific rule the runbook does not have. Load it by listing this file in
// the config: `checks: { modules: [./examples/checks/tenant-id.ts] }` (paths are relative to the
// config file). Only types are imported, so the module needs nothing at run time.
import type { Check, Finding } from 'askedgi-doctor';

const VARIABLE = 'OE_TENANT_ID';

const check: Check = {
  id: 'tenant-id-set',
  title: `Every Edgi and OvalEdge task definition sets ${VARIABLE}`,
  step: 9,
  severity: 'medium',
  remediation: `Add ${VARIABLE} (the customer's tenant id) to the environment of the Data, Insight, UI and Job task definitions, register new revisions and redeploy.`,
  permissions: ['ecs:DescribeTaskDefinition'],
  // The kinds of finding it reports: reports show them as tenant-id-set/<kind>.
  codes: ['family-missing', 'not-set', 'disagree'],
  async run(inventory, config) {
    const findings: Finding[] = [];
    const families = [config.taskDefinitions.data, config.taskDefinitions.insight, config.taskDefinitions.ui, config.taskDefinitions.job];
    const values = new Set<string>();
    for (const family of families) {
      // The inventory is the same memoized, read-only one the built-in checks use: no extra AWS calls.
      const td = await inventory.taskDefinition(family);
      if (!td) {
        findings.push({ status: 'error', code: 'family-missing', message: `Task definition family ${family} has no ACTIVE revision; cannot read ${VARIABLE}.`, resource: family });
        continue;
      }
      const value = td.containers.flatMap((c) => c.environment).find((e) => e.name === VARIABLE)?.value;
      const name = `${td.family}:${td.revision}`;
      if (!value) {
        findings.push({ status: 'fail', code: 'not-set', message: `Task definition ${name} does not set ${VARIABLE}.`, resource: td.arn, expected: `${VARIABLE}=<tenant id>`, found: 'not set' });
      } else {
        values.add(value);
        findings.push({ status: 'pass', message: `Task definition ${name} sets ${VARIABLE}=${value}.`, resource: td.arn });
      }
    }
    if (values.size > 1) {
      findings.push({ status: 'fail', code: 'disagree', message: `The task definitions disagree on ${VARIABLE}.`, expected: 'one tenant id', found: [...values].join(', ') });
    }
    return findings;
  },
};

export default check;
