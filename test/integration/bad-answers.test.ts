// Issue 11 D: what a wrong password, a non-JSON 5xx body and a transport failure look like. Each is an
// `error` that says what happened — never "the caller lacks permission X" — against real MariaDB,
// moto behind the fault proxy, and a closed port; and `--only ''` is a usage error.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCheck } from '../../src/checks/index.js';
import { cli } from '../support/cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { endpoint, freshSandbox, runAll } from '../support/live.js';

describe('bad answers are named for what they are', () => {
  let dir: string;
  let proxy: FaultProxy;
  beforeAll(async () => {
    dir = await freshSandbox();
    proxy = await startFaultProxy(endpoint());
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('a wrong database password: "authentication failed", not a missing mysql:SELECT permission', async () => {
    const good = process.env.ASKEDGI_DB_URL!;
    const url = new URL(good);
    url.password = 'wrong-password-1';
    process.env.ASKEDGI_DB_URL = url.toString();
    try {
      const { results } = await runAll(dir, [findCheck('workspace-row')!]);
      const f = results[0]!.findings[0]!;
      expect(results[0]!.status).toBe('error');
      expect(f.message).toMatch(/authentication failed: the database rejected the user name or password \(ER_ACCESS_DENIED_ERROR\)/);
      expect(f.message).not.toMatch(/lacks permission/);
      expect(f.expected).toBeUndefined();
      expect(JSON.stringify(results)).not.toContain('wrong-password-1');
    } finally {
      process.env.ASKEDGI_DB_URL = good;
    }
  });

  it('a 500 with an HTML body (a load balancer page) is an unreadable answer, not a permission', async () => {
    proxy.inject = (req) => (req.operation === 'GetCallerIdentity' ? { status: 500, contentType: 'text/html', body: '<html><body><h1>500 Internal Server Error</h1></body></html>' } : undefined);
    const { results } = await runAll(dir, [findCheck('caller-identity')!], undefined, { endpoint: proxy.endpoint, maxAttempts: 1 });
    const f = results[0]!.findings[0]!;
    expect(results[0]!.status).toBe('error');
    expect(f.message).toMatch(/HTTP 500/);
    expect(f.message).not.toMatch(/permission/);
    expect(f.expected).toBeUndefined();
  });

  it('a connection refused (transport error) is unreachable, not a permission', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const { results } = await runAll(dir, [findCheck('caller-identity')!], undefined, { endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const f = results[0]!.findings[0]!;
    expect(results[0]!.status).toBe('error');
    expect(f.message).toMatch(/ECONNREFUSED/);
    expect(f.message).not.toMatch(/permission/);
    expect(f.expected).toBeUndefined();
  });

  it("--only '' is a usage error (exit 2), not a run of every check", async () => {
    const r = await cli(['run', '--only', '', '-c', 'does-not-matter.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected one or more check ids/);
    expect(r.stdout).not.toMatch(/PASS|FAIL/);
  });
});
