import { join } from 'node:path';
import { defaultRunContext, type Check } from '../engine/check.js';
import { error, skip } from '../engine/finding.js';
import type { Inventory } from '../inventory/types.js';
import { runSmoke, SMOKE_CODES, SMOKE_FILE_NAME } from '../smoke/flow.js';
import { need } from '../resolve/core.js';
import { latestActive } from '../resolve/deployment.js';
import { envValue } from '../resolve/env.js';
import { TENANT_REACHABLE } from './ovaledge-reachable.js';
import { fromEnv } from './support/workspace.js';

const check: Check = {
  id: 'browser-smoke',
  title: 'In a real browser the admin logs in, the AskEdgi workspace is ready, an upload lands in the bucket, and Settings → AI is complete',
  step: 10,
  severity: 'critical',
  remediation:
    'Follow the failing step: a rejected login is an OvalEdge account problem; a workspace that never becomes ready is the runbook\'s "If Workspace is Not Created" path (askedgi-doctor diagnose workspace --user <user>); a failed upload points at the bucket, its CORS (step 3) or the task role (step 5); a missing OpenAI key or marketplace is configured under Application Settings → AI.',
  codes: ['smoke-disabled', 'credentials-missing', 'not-configured', ...SMOKE_CODES],
  permissions: ['ecs:DescribeTaskDefinition', 's3:ListBucket'],
  async run(inv, cfg, ctx = defaultRunContext()) {
    if (ctx.smokeDisabled) return [skip(`Browser smoke test not run: ${ctx.smokeDisabled}.`, { code: 'smoke-disabled' })];
    const username = cfg.smoke && fromEnv(cfg.smoke.username, ctx.env);
    const password = cfg.smoke && fromEnv(cfg.smoke.password, ctx.env);
    if (cfg.smoke && (!username || !password)) {
      const missing = [!username && `${cfg.smoke.username} (smoke.username)`, !password && `${cfg.smoke.password} (smoke.password)`].filter(Boolean);
      return [error(`Browser smoke test cannot log in: ${missing.join(' and ')} not set in the environment.`, { code: 'credentials-missing', expected: 'credentials from the environment', found: 'unset' })];
    }
    // The tenant must answer first (ovaledge-reachable); without smoke.baseUrl it only says so.
    await need(inv, cfg, TENANT_REACHABLE);
    if (!cfg.smoke || !username || !password) return [skip('Browser smoke test not configured (smoke.baseUrl, smoke.username, smoke.password).', { code: 'not-configured' })];
    const data = await latestActive(inv, cfg.taskDefinitions.data);
    const bucket = data ? envValue(data, 'BUCKET_NAME') : undefined;
    return runSmoke({
      smoke: cfg.smoke,
      username,
      password,
      outDir: join(ctx.outDir, 'smoke'),
      uploadedObject: bucket ? uploadTarget(inv, bucket, cfg.smoke.uploadPrefix, username) : undefined,
      noUpload: ctx.uploadDisabled ?? (cfg.smoke.upload ? undefined : 'left out by smoke.upload: false'),
      onStep: (step) => ctx.progress?.onStep?.(check.id, step),
    });
  },
};

/** The exact key the smoke upload must land at (smoke.uploadPrefix with {user}, and the file name) and a fresh read of it. */
function uploadTarget(inv: Inventory, bucket: string, prefix: string, user: string) {
  const key = `${prefix.replaceAll('{user}', user)}${SMOKE_FILE_NAME}`;
  return { key, read: () => inv.objectInfo(bucket, key) };
}

export default check;
