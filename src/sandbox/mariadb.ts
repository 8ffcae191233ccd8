// Starts and stops a throwaway MariaDB server (Debian's mariadb-server), the stand-in for the RDS
// MySQL 8 database that holds the OvalEdge schema and the two edgi tables.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const run = promisify(execFile);

const MARIADBD = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'];
const STARTUP_TIMEOUT_MS = 30_000;

export interface MariaDbServer {
  host: string;
  port: number;
  /** Root connection URL (for provisioning only; never printed). */
  rootUrl: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MariaDbOptions {
  /** Serve TLS with this certificate and key (PEM files), as RDS does. */
  tls?: { certFile: string; keyFile: string };
}

/** Installs a fresh data directory in a temporary folder and starts mariadbd on a free port. */
export async function startMariaDb(opts: MariaDbOptions = {}): Promise<MariaDbServer> {
  const binary = MARIADBD.find((p) => existsSync(p));
  if (!binary) throw new Error('MariaDB is not installed: run scripts/setup.sh (Debian package mariadb-server).');
  const dir = await mkdtemp(join(tmpdir(), 'askedgi-mariadb-'));
  const datadir = join(dir, 'data');
  // A private tmpdir: servers started side by side must not share temporary tables in /tmp.
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, `--tmpdir=${tmp}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db'], { timeout: 60_000 });
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ['--no-defaults', `--datadir=${datadir}`, `--tmpdir=${tmp}`, ...user, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, '--skip-name-resolve', '--innodb-buffer-pool-size=32M', ...(opts.tls ? [`--ssl-cert=${opts.tls.certFile}`, `--ssl-key=${opts.tls.keyFile}`] : [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => (stderr = (stderr + c).slice(-2000)));
  const rootUrl = `mysql://root@127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`mariadbd exited during startup (code ${child.exitCode}); its stderr ends with:\n${stderr.trim()}`);
    }
    try {
      const c = await createConnection({ host: '127.0.0.1', port, user: 'root' });
      await c.end();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`mariadbd did not accept connections on 127.0.0.1:${port} within ${STARTUP_TIMEOUT_MS / 1000} s; stderr:\n${stderr.trim()}`);
      }
      await sleep(100);
    }
  }
  return { host: '127.0.0.1', port, rootUrl, stop };
}
