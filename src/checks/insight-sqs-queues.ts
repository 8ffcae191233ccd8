import type { Finding } from '../model.js';
import { fail, pass } from '../engine/finding.js';
import { PLAIN_VALUE_CODES, plainValue, tdName } from '../resolve/env.js';
import { INSIGHT_TASK_DEFINITION, ROLE_CONTAINER_CODES, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const queueName = (url: string) => url.split('/').pop() ?? url;

/** The queue name the service builds from the prefix and the name (expect.queueName, default {prefix}-{name}). */
export const builtQueueName = (template: string, prefix: string, name: string) => template.replaceAll('{prefix}', prefix).replaceAll('{name}', name);

const check: Check = {
  id: 'insight-sqs-queues',
  title: 'The SQS queues named exactly SQS_QUEUE_PREFIX-AI_FUNCTION_QUEUE_NAME and SQS_QUEUE_PREFIX-DATA_SYNC_QUEUE_NAME exist',
  step: 7,
  severity: 'high',
  remediation:
    'Create the AskEdgi SQS queues named <SQS prefix name>-ai_functions_queue and <SQS prefix name>-data_sync_queue (runbook step 7: SQS_QUEUE_PREFIX, AI_FUNCTION_QUEUE_NAME, DATA_SYNC_QUEUE_NAME; expect.queueName says how the name is built), or correct those variables on the Edgi Insight task definition to the queues that exist, then register a new revision and redeploy.',
  permissions: ['ecs:DescribeTaskDefinition', 'sqs:ListQueues'],
  codes: [...ROLE_CONTAINER_CODES, ...PLAIN_VALUE_CODES, 'queue-missing'],
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
    // ListQueues by what the built names share before {name} (the prefix and its separator).
    const listed = cfg.expect.queueName.split('{name}')[0]!.replaceAll('{prefix}', prefix);
    const listPrefix = listed === '' ? prefix : listed;
    // The listing of the prefix itself when the built names extend it (the one the task role's and
    // the Edgi user's checks read too: one ListQueues per run), narrowed to what the names share.
    const urls = listPrefix.startsWith(prefix) ? (await inv.sqsQueues(prefix)).filter((u) => queueName(u).startsWith(listPrefix)) : await inv.sqsQueues(listPrefix);
    const names = urls.map(queueName);
    const findings: Finding[] = [];
    for (const variable of ['AI_FUNCTION_QUEUE_NAME', 'DATA_SYNC_QUEUE_NAME']) {
      const wanted = values[variable]!;
      const exact = builtQueueName(cfg.expect.queueName, prefix, wanted);
      // Exactly the name the service builds (a FIFO queue carries the .fifo suffix AWS requires).
      const hit = urls.find((u) => queueName(u) === exact) ?? urls.find((u) => queueName(u) === `${exact}.fifo`);
      if (!hit) {
        const near = names.filter((n) => n.includes(wanted));
        findings.push(
          fail(`SQS queue ${exact} (SQS_QUEUE_PREFIX=${prefix}, ${variable}=${wanted} on ${tdName(td)}) does not exist; the Insight service cannot use it.`, {
            resource: exact,
            expected: `a queue named exactly ${exact}`,
            found: names.length ? `queues named ${listPrefix}*: ${names.join(', ')}${near.length ? ` (${near.join(', ')} only resembles it)` : ''}` : `no queues named ${listPrefix}*`,
            code: 'queue-missing',
          }),
        );
      } else {
        findings.push(pass(`SQS queue ${queueName(hit)} exists for ${variable}=${wanted} under prefix ${prefix}.`, { resource: hit }));
      }
    }
    return findings;
  },
};

export default check;
