import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/insight-sqs-queues.js';
import { ACCOUNT, config, healthy, REGION, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const INSIGHT = 'oe_edgi_insights_service';
const url = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;

describe('insight-sqs-queues', () => {
  it('passes and names the queues found under the prefix', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings.map((f) => f.message)).toEqual([
      'SQS queue acme-ai_functions_queue exists for AI_FUNCTION_QUEUE_NAME=ai_functions_queue under prefix acme.',
      'SQS queue acme-data_sync_queue exists for DATA_SYNC_QUEUE_NAME=data_sync_queue under prefix acme.',
    ]);
    expect(r.findings[0]!.resource).toBe(url('acme-ai_functions_queue'));
  });

  it('fails naming the missing queue and the queues found when one was deleted', async () => {
    const data = healthy();
    data.sqsQueueUrls = [url('acme-ai_functions_queue')];
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const bad = r.findings.filter((f) => f.status === 'fail');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe(`SQS queue acme-data_sync_queue (SQS_QUEUE_PREFIX=acme, DATA_SYNC_QUEUE_NAME=data_sync_queue on ${INSIGHT}:1) does not exist; the Insight service cannot use it.`);
    expect(bad[0]!.code).toBe('insight-sqs-queues/queue-missing');
    expect(bad[0]!.resource).toBe('acme-data_sync_queue');
    expect(bad[0]!.expected).toBe('a queue named exactly acme-data_sync_queue');
    expect(bad[0]!.found).toBe('queues named acme-*: acme-ai_functions_queue');
  });

  it('fails for both queues when SQS_QUEUE_PREFIX names a prefix without queues', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SQS_QUEUE_PREFIX', 'globex');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings.filter((f) => f.status === 'fail')).toHaveLength(2);
    expect(r.findings[0]!.found).toBe('no queues named globex-*');
  });

  it('fails when AI_FUNCTION_QUEUE_NAME names a queue that does not exist', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'AI_FUNCTION_QUEUE_NAME', 'ai_function_queue');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('SQS queue acme-ai_function_queue (SQS_QUEUE_PREFIX=acme, AI_FUNCTION_QUEUE_NAME=ai_function_queue');
  });

  it('passes with FIFO queues', async () => {
    const data = healthy();
    data.sqsQueueUrls = [url('acme-ai_functions_queue.fifo'), url('acme-data_sync_queue.fifo')];
    const r = await runOne(check, data);
    expect(r.status).toBe('pass');
  });

  it('matches the name exactly: a queue that only starts with the prefix and ends with the name does not count', async () => {
    const data = healthy();
    data.sqsQueueUrls = [url('acme-ai_functions_queue'), url('acme-old-data_sync_queue'), url('acmedata_sync_queue')];
    const r = await runOne(check, data);
    const f = r.findings.find((x) => x.message.includes('DATA_SYNC_QUEUE_NAME'))!;
    expect(f.status).toBe('fail');
    expect(f.found).toBe('queues named acme-*: acme-ai_functions_queue, acme-old-data_sync_queue (acme-old-data_sync_queue only resembles it)');
  });

  it('builds the name with expect.queueName', async () => {
    const data = healthy();
    data.sqsQueueUrls = [url('acme_ai_functions_queue'), url('acme_data_sync_queue')];
    expect((await runOne(check, data)).status).toBe('fail');
    const r = await runOne(check, data, config({ expect: { queueName: '{prefix}_{name}' } }));
    expect(r.status).toBe('pass');
    expect(r.findings[1]!.message).toBe('SQS queue acme_data_sync_queue exists for DATA_SYNC_QUEUE_NAME=data_sync_queue under prefix acme.');
  });

  it('does not count a queue named exactly like the prefix', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SQS_QUEUE_PREFIX', 'acme-data_sync_queue');
    const r = await runOne(check, data);
    expect(r.findings.find((f) => f.message.includes('DATA_SYNC_QUEUE_NAME'))!.status).toBe('fail');
  });

  it('fails when SQS_QUEUE_PREFIX is still the runbook placeholder', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SQS_QUEUE_PREFIX', '<SQS prefix name>');
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('sets SQS_QUEUE_PREFIX=<SQS prefix name>, still the runbook placeholder');
  });

  it('fails when SQS_QUEUE_PREFIX is not set', async () => {
    const data = healthy();
    setEnv(data, INSIGHT, 'SQS_QUEUE_PREFIX', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 has no SQS_QUEUE_PREFIX; the Insight service cannot find its SQS queues.`);
    expect(r.findings[0]!.found).toBe('not set');
  });

  skipsWhenRootFails(check, ROOTS.insightFamilyMissing);

  errorsWhenDenied(check, 'sqs:ListQueues');

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true });
});
