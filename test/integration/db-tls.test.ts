import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connectApp, provisionDatabase, seedWorkspace } from '../../src/sandbox/database.js';
import { startMariaDb, type MariaDbServer } from '../../src/sandbox/mariadb.js';
import { cli } from '../support/cli.js';
import { makeCertificates, removeCertificates, type Certificates } from '../support/http-servers.js';
import { endpoint } from '../support/live.js';

// database.tls against a real MariaDB that serves TLS with a certificate from a private CA (as
// RDS does with its own CA): verified, so it fails until the CA is trusted (NODE_EXTRA_CA_CERTS).
describe('database.tls', () => {
  let certs: Certificates;
  let tlsDb: MariaDbServer;
  let plainDb: MariaDbServer;
  let tlsUrl: string;
  let plainUrl: string;
  let dir: string;

  beforeAll(async () => {
    certs = makeCertificates();
    tlsDb = await startMariaDb({ tls: { certFile: join(certs.dir, 'cert.pem'), keyFile: join(certs.dir, 'key.pem') } });
    plainDb = await startMariaDb();
    for (const [server, set] of [
      [tlsDb, (u: string) => (tlsUrl = u)],
      [plainDb, (u: string) => (plainUrl = u)],
    ] as const) {
      const { url, options } = await provisionDatabase({ host: server.host, port: server.port });
      const conn = await connectApp(options);
      await seedWorkspace(conn, { user: 'admin', serviceName: 'edgi-data-service-admin' });
      await conn.end();
      set(url);
    }
    dir = mkdtempSync(join(tmpdir(), 'askedgi-tls-'));
    writeFileSync(
      join(dir, 'askedgi-doctor.yaml'),
      stringify({
        region: 'us-east-1',
        endpoint: endpoint(),
        cluster: 'none',
        securityGroups: { elasticsearch: 'sg-1', rds: 'sg-2', efs: 'sg-3' },
        efs: { fileSystemId: 'fs-1' },
        database: { url: 'env:TEST_DB_URL', tls: true },
        workspace: { user: 'admin' },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await tlsDb?.stop();
    await plainDb?.stop();
    removeCertificates(certs);
  });

  const run = (url: string, extra: Record<string, string> = {}) =>
    cli(['run', '-c', join(dir, 'askedgi-doctor.yaml'), '-o', join(dir, 'reports'), '-f', 'console', '--only', 'workspace-row'], { TEST_DB_URL: url, ...extra });

  it('refuses a server certificate from an untrusted CA', async () => {
    const r = await run(tlsUrl);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+workspace-row/);
    expect(r.stdout).toMatch(/self[- ]signed certificate/i);
  });

  it('connects over TLS once the CA is trusted', async () => {
    const r = await run(tlsUrl, { NODE_EXTRA_CA_CERTS: join(certs.dir, 'cert.pem') });
    expect(r.stdout).toMatch(/PASS\s+workspace-row/);
    expect(r.code).toBe(0);
  });

  it('refuses a server that does not offer TLS at all', async () => {
    const r = await run(plainUrl, { NODE_EXTRA_CA_CERTS: join(certs.dir, 'cert.pem') });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+workspace-row/);
  });
});
