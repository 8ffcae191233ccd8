import type { Finding } from '../model.js';
import { fail, pass } from '../engine/finding.js';
import { plainValue, tdName } from '../resolve/env.js';
import { INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const queueName = (url: string) => url.split('/').pop() ?? url;

/** A queue for `name` under `prefix`: its name starts with the prefix and ends with the name (a FIFO queue with .fifo). */
const isQueueFor = (queue: string, prefix: string, name: string) =>
  queue.startsWith(prefix) && queue.length > prefix.length && (queue.endsWith(name) || queue.endsWith(`${name}.fifo`));

const check: Check = {
  id: 'insight-sqs-queues',
  title: 'SQS queues exist under SQS_QUEUE_PREFIX for AI_FUNCTION_QUEUE_NAME and DATA_SYNC_QUEUE_NAME',
  step: 7,
  severity: 'high',
  remediation:
    'Create the AskEdgi SQS queues named <SQS prefix name> followed by ai_functions_queue and data_sync_queue (runbook step 7: SQS_QUEUE_PREFIX, AI_FUNCTION_QUEUE_NAME, DATA_SYNC_QUEUE_NAME), or correct those variables on the Edgi Insight task definition to the queues that exist, then register a new revision and redeploy.',
  permissions: ['ecs:DescribeTaskDefinition', 'sqs:ListQueues'],
  async run(inv, cfg) {
    const td = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const container = roleMain(td, cfg, 'insight');
    const values: Record<string, string> = {};
    for (const name of ['SQS_QUEUE_PREFIX', 'AI_FUNCTION_QUEUE_NAME', 'DATA_SYNC_QUEUE_NAME']) {
      const read = plainValue(td, container, name, { why: 'the Insight service cannot find its SQS queues' });
      if (!read.ok) return [read.finding];
      values[name] = read.value;
    }
    const prefix = values.SQS_QUEUE_PREFIX!;
    const urls = await inv.sqsQueues(prefix);
    const names = urls.map(queueName);
    const findings: Finding[] = [];
    for (const variable of ['AI_FUNCTION_QUEUE_NAME', 'DATA_SYNC_QUEUE_NAME']) {
      const wanted = values[variable]!;
      const hits = urls.filter((u) => isQueueFor(queueName(u), prefix, wanted));
      if (hits.length === 0) {
        findings.push(
          fail(`No SQS queue under prefix ${prefix} ends with ${wanted} (${variable} on ${tdName(td)}); the Insight service cannot use it.`, {
            resource: `${prefix}*${wanted}`,
            expected: `a queue such as ${prefix}-${wanted}`,
            found: names.length ? `queues under ${prefix}: ${names.join(', ')}` : `no queues under ${prefix}`,
          }),
        );
      } else {
        findings.push(pass(`SQS queue ${hits.map(queueName).join(', ')} exists for ${variable}=${wanted} under prefix ${prefix}.`, { resource: hits[0] }));
      }
    }
    return findings;
  },
};

export default check;
