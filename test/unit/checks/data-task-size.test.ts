import { expect, it } from 'vitest';
import check from '../../../src/checks/data-task-size.js';
import { isFargatePair } from '../../../src/checks/support/task-shape.js';
import { healthy, runOne } from '../../support/fixture-deployment.js';
import { roleTd, taskSizeSuite } from '../../support/task-shape-cases.js';

taskSizeSuite(check, 'data', () => {
  it('fails twice for cpu 1024 / memory 1024: not the runbook size, and not a Fargate pair', async () => {
    const data = healthy();
    Object.assign(roleTd(data, 'data'), { cpu: '1024', memory: '1024' });
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const [size, pair] = r.findings;
    expect(r.findings).toHaveLength(2);
    expect(size!.message).toBe("Task definition edgi-data-service:2 has 1024 CPU units (1 vCPU), 1024 MiB (1 GB); the runbook's Data task size is 0.5 vCPU / 2 GB.");
    expect(size!.expected).toBe('512 CPU units (0.5 vCPU), 2048 MiB (2 GB)');
    expect(size!.found).toBe('1024 CPU units (1 vCPU), 1024 MiB (1 GB)');
    expect(pair!.message).toContain('1 vCPU with 1 GB is not a valid Fargate task size');
    expect(pair!.expected).toBe('1 vCPU with 2 GB–8 GB in 1 GB steps');
    expect(pair!.found).toBe('1024 CPU units (1 vCPU), 1024 MiB (1 GB)');
  });

  it('knows the Fargate table', () => {
    expect(isFargatePair(256, 512)).toBe(true);
    expect(isFargatePair(256, 3072)).toBe(false);
    expect(isFargatePair(512, 1024)).toBe(true);
    expect(isFargatePair(512, 4096)).toBe(true);
    expect(isFargatePair(512, 5120)).toBe(false);
    expect(isFargatePair(512, 1536)).toBe(false);
    expect(isFargatePair(1024, 1024)).toBe(false);
    expect(isFargatePair(1024, 8192)).toBe(true);
    expect(isFargatePair(2048, 16384)).toBe(true);
    expect(isFargatePair(4096, 30720)).toBe(true);
    expect(isFargatePair(4096, 31744)).toBe(false);
    expect(isFargatePair(8192, 20480)).toBe(true);
    expect(isFargatePair(8192, 17408)).toBe(false);
    expect(isFargatePair(768, 2048)).toBe(false);
  });
});
