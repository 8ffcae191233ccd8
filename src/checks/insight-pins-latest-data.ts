import type { TaskDefinition } from '../inventory/types.js';
import { looksLikePlaceholder } from '../inventory/redact.js';
import type { Finding } from '../model.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { envEntry, tdName } from '../resolve/env.js';
import { DATA_TASK_DEFINITION, INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

/** "arn:aws:ecs:<region>:<account>:task-definition/<family>:<rev>", "<family>:<rev>" or "<family>". */
function parseReference(value: string): { family: string; revision?: number; arn: boolean } {
  const arn = /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:task-definition\/(.+)$/.exec(value);
  const tail = arn ? arn[1]! : value;
  const m = /^(.+):(\d+)$/.exec(tail);
  return m ? { family: m[1]!, revision: Number(m[2]), arn: Boolean(arn) } : { family: tail, arn: Boolean(arn) };
}

function pinned(value: string, data: TaskDefinition, insight: TaskDefinition): Finding {
  const where = `Task definition ${tdName(insight)}`;
  const extra = { resource: insight.arn, expected: data.arn, found: value };
  if (value === data.arn) {
    return pass(`${where} pins TASK_DEFINITION to ${tdName(data)}, the latest ACTIVE Data revision.`, { resource: insight.arn });
  }
  if (looksLikePlaceholder(value)) {
    return fail(`${where} sets TASK_DEFINITION=${value}, still the runbook placeholder instead of the Data task definition ARN.`, { code: 'placeholder', ...extra });
  }
  const ref = parseReference(value);
  if (ref.family !== data.family) {
    return fail(`${where} sets TASK_DEFINITION to family ${ref.family}, not the Data family ${data.family}; the Insight service would start the wrong tasks.`, { code: 'wrong-family', ...extra });
  }
  if (ref.revision === undefined) {
    return warn(`${where} sets TASK_DEFINITION to the family ${ref.family} without a revision; ECS resolves it to the latest ACTIVE revision at launch, but the runbook asks for the latest revision ARN (${tdName(data)}).`, { code: 'no-revision', ...extra });
  }
  if (ref.revision !== data.revision) {
    const consequence = ref.revision < data.revision ? 'Data tasks the Insight service starts run the older revision' : 'that revision is not ACTIVE';
    return fail(`${where} pins TASK_DEFINITION to ${ref.family}:${ref.revision}, but the latest ACTIVE Data revision is ${tdName(data)}; ${consequence}.`, { code: 'stale-revision', ...extra });
  }
  if (!ref.arn) {
    return warn(`${where} sets TASK_DEFINITION to ${value}, the latest Data revision but not its ARN as the runbook asks.`, { code: 'not-arn', ...extra });
  }
  return fail(`${where} sets TASK_DEFINITION to an ARN of ${tdName(data)} in another account or region than the Data task definition ${data.arn}.`, { code: 'foreign-arn', ...extra });
}

const check: Check = {
  id: 'insight-pins-latest-data',
  title: 'Insight TASK_DEFINITION pins the latest ACTIVE Data revision ARN',
  step: 7,
  severity: 'critical',
  remediation:
    'Set TASK_DEFINITION on the Edgi Insight task definition to the ARN of the latest Data task definition revision (runbook step 7: "<Edgi Data Task Definition latest revision ARN>"), register a new Insight revision and redeploy the Insight service. Repeat whenever a new Data revision is registered.',
  codes: ['placeholder', 'wrong-family', 'no-revision', 'stale-revision', 'not-arn', 'foreign-arn', 'variable-missing', 'value-from-secret'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const insight = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const data = await need(inv, cfg, DATA_TASK_DEFINITION);
    const container = roleMain(insight, cfg, 'insight');
    const entry = envEntry(container, 'TASK_DEFINITION');
    const where = `Task definition ${tdName(insight)}`;
    if (!entry) {
      return [fail(`${where} has no TASK_DEFINITION; the Insight service cannot start Data tasks.`, { code: 'variable-missing', resource: insight.arn, expected: data.arn, found: 'not set' })];
    }
    if (entry.source === 'secrets') {
      return [error(`${where} takes TASK_DEFINITION from a secrets reference (${entry.valueFrom}); its value cannot be compared with the latest Data revision.`, { code: 'value-from-secret', resource: insight.arn, expected: 'a plain environment value', found: `secrets valueFrom ${entry.valueFrom}` })];
    }
    return [pinned(entry.value, data, insight)];
  },
};

export default check;
