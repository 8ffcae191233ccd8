// The state and helpers both remediation test files (remediate.test.ts, remediate-integrity.test.ts)
// share: a seal key of this test run, a fresh sandbox with its own plans/backups/audit directory,
// AWS clients on the file's moto server, and plan / apply / restore through the CLI's command group.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetInstanceCommand } from '@aws-sdk/client-servicediscovery';
import { afterAll, beforeAll, expect } from 'vitest';
import { destroyClients, makeClients, type AwsClients } from '../../src/aws/clients.js';
import type { AuditEntry, Plan } from '../../src/remediate/types.js';
import { breakSandbox } from '../../src/sandbox/faults/index.js';
import { endpoint, freshSandbox } from './live.js';
import { remediate, type Outcome } from './remediate.js';

/** The approval every confirmed apply or restore names. */
export const APPROVER = ['--approved-by', 'Jane Roe OPS-1234'];

export interface RemediateSession {
  /** The sandbox directory (its config, state and app flags). */
  readonly dir: string;
  /** plans/, backups/ and audit.jsonl of the current test only (the sandbox directory is reused). */
  readonly out: string;
  readonly clients: AwsClients;
  /** A clean sandbox (optionally broken by a fault) and a new output directory. */
  fresh(fault?: string): Promise<void>;
  /** -c <config> -o <out> and more. */
  cfgArgs(extra?: string[]): string[];
  /** Plans; returns the plan file written (the path printed after "file:"). */
  plan(args: string[], expectCode?: number): Promise<{ file: string; plan: Plan; r: Outcome }>;
  apply(file: string, extra?: string[]): Promise<Outcome>;
  restore(file: string, extra?: string[]): Promise<Outcome>;
  /** The audit log's entries (none before the first write). */
  audit(): AuditEntry[];
  /** The backups written, sorted; files a test wrote by hand (`-edited`, `forged`) left out. */
  backups(): string[];
  /** A Cloud Map instance's attributes, or undefined when it does not exist. */
  cloudMapInstance(serviceId: string, id: string): Promise<Record<string, string> | undefined>;
}

/** Call once at the top of a test file: registers the hooks that make and destroy the AWS clients. */
export function remediateSession(): RemediateSession {
  // Plans and backups are sealed with a key file of this test run, not the user's ~/.config one.
  process.env.ASKEDGI_DOCTOR_SEAL_KEY_FILE = join(mkdtempSync(join(tmpdir(), 'askedgi-seal-')), 'seal.key');
  let dir = '';
  let out = '';
  let clients: AwsClients | undefined;
  beforeAll(() => {
    clients = makeClients({ region: 'us-east-1', endpoint: endpoint() });
  });
  afterAll(() => {
    if (clients) destroyClients(clients);
  });
  const cfgArgs = (extra: string[] = []) => ['-c', join(dir, 'askedgi-doctor.yaml'), '-o', out, ...extra];
  const session: RemediateSession = {
    get dir() {
      return dir;
    },
    get out() {
      return out;
    },
    get clients() {
      if (!clients) throw new Error('remediateSession: the AWS clients exist only inside tests');
      return clients;
    },
    async fresh(fault) {
      dir = await freshSandbox();
      out = mkdtempSync(join(dir, 'remediate-'));
      if (fault) await breakSandbox(fault, { endpoint: endpoint(), outDir: dir });
    },
    cfgArgs,
    async plan(args, expectCode = 0) {
      const r = await remediate(['plan', ...args, ...cfgArgs()]);
      expect(r.code, r.stdout + r.stderr).toBe(expectCode);
      const file = /file: +(\S+)/.exec(r.stdout)?.[1] ?? '';
      return { file, plan: file ? (JSON.parse(readFileSync(file, 'utf8')) as Plan) : (undefined as unknown as Plan), r };
    },
    apply: (file, extra = []) => remediate(['apply', file, ...cfgArgs(), ...extra]),
    restore: (file, extra = []) => remediate(['restore', file, ...cfgArgs(), ...extra]),
    audit() {
      try {
        return readFileSync(join(out, 'audit.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
      } catch {
        return [];
      }
    },
    backups() {
      try {
        return readdirSync(join(out, 'backups'))
          .filter((f) => f.endsWith('.json') && !f.endsWith('-edited.json') && !f.includes('forged'))
          .map((f) => join(out, 'backups', f))
          .sort();
      } catch {
        return [];
      }
    },
    async cloudMapInstance(serviceId, id) {
      try {
        return (await session.clients.cloudMap.send(new GetInstanceCommand({ ServiceId: serviceId, InstanceId: id }))).Instance?.Attributes ?? {};
      } catch (err) {
        if ((err as { name?: string }).name === 'InstanceNotFound') return undefined;
        throw err;
      }
    },
  };
  return session;
}
