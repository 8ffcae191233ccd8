import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/browser-smoke.js';
import { FixtureInventory } from '../../../src/inventory/fixture.js';
import { config, healthy } from '../../support/fixture-deployment.js';

// The browser flow itself runs in real Chromium against the sandbox app: test/integration/smoke.test.ts.
const smoke = { baseUrl: 'http://127.0.0.1:9/ovaledge', username: 'env:SMOKE_USER', password: 'env:SMOKE_PASSWORD' };

describe('browser-smoke', () => {
  it('skips with the reason when no smoke test is configured', async () => {
    const r = await check.run(new FixtureInventory(healthy()), config(), { outDir: 'reports', env: {} });
    expect(r).toEqual([{ status: 'skip', code: 'not-configured', message: 'Browser smoke test not configured (smoke.baseUrl, smoke.username, smoke.password).' }]);
  });

  it('skips with the reason when left out by --no-smoke', async () => {
    const r = await check.run(new FixtureInventory(healthy()), config({ smoke }), { outDir: 'reports', env: {}, smokeDisabled: 'left out by --no-smoke' });
    expect(r).toEqual([{ status: 'skip', code: 'smoke-disabled', message: 'Browser smoke test not run: left out by --no-smoke.' }]);
  });

  it('reports error naming the unset environment variables, never a value', async () => {
    const r = await check.run(new FixtureInventory(healthy()), config({ smoke }), { outDir: 'reports', env: { SMOKE_USER: 'admin' } });
    expect(r[0]!.status).toBe('error');
    expect(r[0]!.message).toBe('Browser smoke test cannot log in: env:SMOKE_PASSWORD (smoke.password) not set in the environment.');
  });
});
