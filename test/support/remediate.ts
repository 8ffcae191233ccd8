// Support for the remediation tests: the `remediate` command group run in-process (captured output,
// exit codes as src/cli.ts maps them), and two fault-injecting proxies on real sockets — a TCP proxy
// between mysql2 and MariaDB that can cut every connection when the client sends COMMIT, and an HTTP
// proxy between the SDK and moto that fails Cloud Map DeregisterInstance with a 500.
import { createConnection as tcpConnect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { Command, CommanderError } from 'commander';
import { UsageError } from '../../src/errors.js';
import { registerRemediate } from '../../src/remediate/cli.js';
import { startFaultProxy } from './fault-proxy.js';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `askedgi-doctor remediate <args>` in this process (the sandbox app must keep answering). */
export async function remediate(args: string[]): Promise<Outcome> {
  let code = 0;
  let stdout = '';
  let stderr = '';
  const program = new Command('askedgi-doctor')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (stdout += s), writeErr: (s) => void (stderr += s) });
  registerRemediate(program, (c) => (code = c), { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  try {
    await program.parseAsync(['remediate', ...args], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.code === 'commander.helpDisplayed' ? 0 : 2, stdout, stderr };
    if (err instanceof UsageError) return { code: 2, stdout, stderr: `${stderr}askedgi-doctor: ${err.message}\n` };
    throw err;
  }
  return { code, stdout, stderr };
}

const listen = (server: TcpServer): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });

export interface MysqlProxy {
  port: number;
  /** When true, the next client packet containing COMMIT is not forwarded: every connection is cut instead (once). */
  cutOnCommit: boolean;
  cuts: number;
  close(): Promise<void>;
}

export async function startMysqlProxy(upstream: { host: string; port: number }): Promise<MysqlProxy> {
  const sockets = new Set<Socket>();
  const COMMIT = Buffer.from('COMMIT');
  const proxy: MysqlProxy = {
    port: 0,
    cutOnCommit: false,
    cuts: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createTcpServer((client) => {
    const up = tcpConnect(upstream.port, upstream.host);
    sockets.add(client);
    sockets.add(up);
    const drop = () => {
      client.destroy();
      up.destroy();
      sockets.delete(client);
      sockets.delete(up);
    };
    client.on('data', (chunk: Buffer) => {
      // COM_QUERY (0x03) right after the 4-byte packet header, with COMMIT in its text.
      if (proxy.cutOnCommit && chunk.length > 5 && chunk[4] === 0x03 && chunk.subarray(5).includes(COMMIT)) {
        proxy.cutOnCommit = false;
        proxy.cuts += 1;
        for (const s of [...sockets]) s.destroy();
        sockets.clear();
        return;
      }
      up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', drop);
    up.on('close', drop);
    client.on('error', drop);
    up.on('error', drop);
  });
  proxy.port = await listen(server);
  return proxy;
}

export interface AwsProxy {
  endpoint: string;
  /** When true, Cloud Map DeregisterInstance is answered with HTTP 500 (a JSON service error). */
  failDeregister: boolean;
  failed: number;
  close(): Promise<void>;
}

export async function startAwsProxy(upstream: string): Promise<AwsProxy> {
  const state = { failDeregister: false };
  const inner = await startFaultProxy(upstream, (req) =>
    state.failDeregister && req.operation === 'DeregisterInstance'
      ? { status: 500, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'InternalFailure', message: 'injected by the test proxy' }) }
      : undefined,
  );
  return {
    endpoint: inner.endpoint,
    get failDeregister() {
      return state.failDeregister;
    },
    set failDeregister(v: boolean) {
      state.failDeregister = v;
    },
    get failed() {
      return inner.injected;
    },
    close: () => inner.close(),
  };
}
