import { expect, it } from 'vitest';
import check from '../../../src/checks/insight-task-size.js';
import { healthy, runOne } from '../../support/fixture-deployment.js';
import { roleTd, taskSizeSuite } from '../../support/task-shape-cases.js';

taskSizeSuite(check, 'insight', () => {
  it('fails for memory 4096: a valid Fargate pair, but not the runbook size', async () => {
    const data = healthy();
    roleTd(data, 'insight').memory = '4096';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.message).toBe("Task definition oe_edgi_insights_service:1 has 1024 CPU units (1 vCPU), 4096 MiB (4 GB); the runbook's Insight task size is 1 vCPU / 2 GB.");
    expect(f.expected).toBe('1024 CPU units (1 vCPU), 2048 MiB (2 GB)');
    expect(f.found).toBe('1024 CPU units (1 vCPU), 4096 MiB (4 GB)');
  });

  it('fails for cpu 4096 with 2 GB: wrong size and below the Fargate minimum', async () => {
    const data = healthy();
    roleTd(data, 'insight').cpu = '4096';
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(2);
    expect(r.findings[1]!.message).toContain('4 vCPU with 2 GB is not a valid Fargate task size');
    expect(r.findings[1]!.expected).toBe('4 vCPU with 8 GB–30 GB in 1 GB steps');
  });
});
