// The pure parts of remediation's guard: canonical hashing, hand-edit detection, staleness, the
// blast-radius cap, the approver, drift between planned and live rows, and the audit journal.
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { completedSteps } from '../../src/remediate/audit.js';
import { userInstances } from '../../src/remediate/cloud-map.js';
import { targetDifferences } from '../../src/remediate/context.js';
import { diffRows, redactRowSet } from '../../src/remediate/db.js';
import { canonicalJson, checkCap, checkStaleness, contentHash, parseApprover, parseDuration, parseMaxRows, seal, sealOf, verifySeal } from '../../src/remediate/guard.js';
import { SEAL_KEY_ENV, sealKey } from '../../src/remediate/seal-key.js';
import type { CloudMapInstance } from '../../src/inventory/types.js';
import type { AuditEntry, RowSet } from '../../src/remediate/types.js';

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined, adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([undefined, null, 'é'])).toBe('[null,null,"é"]');
  });

  it('gives the same text for the same content whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: null } })).toBe(canonicalJson({ y: { q: null, p: true }, x: 1 }));
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
  });
});

describe('seal and verifySeal: hand-edited plans', () => {
  const KEY = Buffer.alloc(32, 7);
  const doc = seal<{ action: string; rows: { id: number; status: string }[]; sha256: string }>({ action: 'reset-workspace', rows: [{ id: 1, status: 'RUNNING' }] }, KEY);
  const seal_ = (d: object) => seal<{ sha256: string }>(d, KEY);
  const verify = (d: { sha256?: unknown }) => verifySeal(d, KEY);

  it('seals everything but the sha256 field with an HMAC keyed by the local key', () => {
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sealOf(doc, KEY)).toBe(doc.sha256);
    expect(verify(doc)).toEqual({ ok: true });
  });

  it('a document edited and re-hashed by hand (plain sha256, or an HMAC with another key) is refused', () => {
    const forged = { ...doc, rows: [{ id: 2, status: 'RUNNING' }] };
    expect(verify({ ...forged, sha256: contentHash(forged) }).ok).toBe(false);
    expect(verify(seal(forged, Buffer.alloc(32, 8))).ok).toBe(false);
    expect(verify(seal_(forged)).ok).toBe(true);
  });

  it('the key file is created 0600 on first use, reused, and refused when others may read it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'askedgi-seal-'));
    const env = { [SEAL_KEY_ENV]: join(dir, 'sub', 'seal.key') };
    const k1 = sealKey(env);
    expect(statSync(env[SEAL_KEY_ENV]).mode & 0o777).toBe(0o600);
    expect(sealKey(env).equals(k1)).toBe(true);
    const other = { [SEAL_KEY_ENV]: join(dir, 'open.key') };
    writeFileSync(other[SEAL_KEY_ENV], `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(other[SEAL_KEY_ENV], 0o644);
    expect(() => sealKey(other)).toThrow(/readable by others \(mode 644\)/);
  });

  it('survives reformatting and key reordering (the file may be pretty-printed differently)', () => {
    const reordered = JSON.parse(JSON.stringify({ sha256: doc.sha256, rows: [{ status: 'RUNNING', id: 1 }], action: 'reset-workspace' }, null, 4)) as typeof doc;
    expect(verify(reordered).ok).toBe(true);
  });

  it('detects a changed value, an added field, a removed row and a missing hash', () => {
    const changed = { ...doc, rows: [{ id: 1, status: 'FAILED' }] };
    expect(verify(changed)).toEqual({ ok: false, recorded: doc.sha256, actual: sealOf(changed, KEY) });
    const withExtra: { sha256: string; extra?: number } = { ...doc, extra: 1 };
    expect(verify(withExtra).ok).toBe(false);
    const noRows: { sha256: string; rows: unknown[] } = { ...doc, rows: [] };
    expect(verify(noRows).ok).toBe(false);
    const bare: { sha256?: string; action: string } = { action: doc.action, rows: doc.rows } as { action: string };
    expect(verify(bare)).toMatchObject({ ok: false, recorded: '(none)' });
  });
});

describe('checkStaleness', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('accepts a plan younger than the limit', () => {
    expect(checkStaleness('2026-01-01T11:30:00Z', now, 3_600_000)).toEqual({ ok: true, ageMs: 1_800_000 });
  });
  it('refuses a plan older than the limit, naming both', () => {
    const r = checkStaleness('2026-01-01T10:00:00Z', now, 3_600_000);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('the plan is 2.0 h old, older than the limit of 60 min: make a new plan');
  });
  it('refuses a plan from the future beyond clock skew, and a createdAt that is not a time', () => {
    expect(checkStaleness('2026-01-01T13:00:00Z', now, 3_600_000).ok).toBe(false);
    expect(checkStaleness('2026-01-01T12:01:00Z', now, 3_600_000).ok).toBe(true);
    expect(checkStaleness('yesterday', now, 3_600_000).ok).toBe(false);
  });
});

describe('the blast-radius cap and options', () => {
  it('checkCap refuses more rows than --max-rows', () => {
    expect(checkCap(10, 10)).toEqual({ ok: true });
    const r = checkCap(11, 10);
    expect(!r.ok && r.reason).toContain('removes 11 rows, more than --max-rows 10');
  });
  it('parseMaxRows takes whole numbers from 1', () => {
    expect(parseMaxRows('25')).toBe(25);
    for (const bad of ['0', '-1', '2.5', 'ten', '']) expect(() => parseMaxRows(bad)).toThrow(UsageError);
  });
  it('parseDuration reads 90s, 30m, 1h, 2d and bare minutes', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('5')).toBe(300_000);
    expect(() => parseDuration('soon')).toThrow(UsageError);
  });
  it('parseApprover wants "<name> <ticket>"', () => {
    expect(parseApprover(undefined)).toBeUndefined();
    expect(parseApprover('  Jane   Roe OPS-1 ')).toBe('Jane Roe OPS-1');
    expect(() => parseApprover('jane')).toThrow(UsageError);
    expect(() => parseApprover('jane\u001b[31m OPS-1')).toThrow(UsageError);
  });
});

describe('diffRows: drift between the plan and the rows locked now', () => {
  const set = (rows: RowSet['rows']): RowSet => ({ table: 't', primaryKey: 'id', types: {}, rows });
  it('names gone, new and changed rows and columns', () => {
    const planned = set([{ id: 1, status: 'RUNNING' }, { id: 2, status: 'FAILED' }]);
    const live = set([{ id: 1, status: 'STOPPED' }, { id: 3, status: 'RUNNING' }]);
    expect(diffRows(planned, live)).toEqual([
      't row id=1 column status changed: planned "RUNNING", now "STOPPED"',
      't row id=2 is gone',
      't row id=3 is new (not in the plan)',
    ]);
    expect(diffRows(planned, planned)).toEqual([]);
  });
  it('does not compare (or print) secret-looking columns redacted in the plan', () => {
    const exact = set([{ id: 1, api_token: 's3cr3t', status: 'RUNNING' }]);
    const planned = redactRowSet(exact);
    expect(planned.rows[0]!.api_token).toBe('<redacted>');
    expect(diffRows(planned, exact)).toEqual([]);
    const changed = diffRows(set([{ id: 1, api_token: 'a' }]), set([{ id: 1, api_token: 'b' }]));
    expect(changed.join(' ')).not.toMatch(/"a"|"b"/);
  });
});

describe('userInstances: the user\'s Cloud Map instances', () => {
  const registry = { namespace: { id: 'ns-1', name: 'askedgi.local' }, service: { id: 'srv-1', arn: 'arn:srv-1', name: 'edgi-data-service' } };
  const instances: CloudMapInstance[] = [
    { id: 'edgi-data-service-admin', attributes: { ECS_SERVICE_NAME: 'edgi-data-service-admin' } },
    { id: '10.0.0.7', attributes: { ECS_SERVICE_NAME: 'edgi-data-service-jane' } },
    { id: 'edgi-data-service-superadmin', attributes: {} },
    { id: 'task-9', attributes: { ECS_SERVICE_NAME: 'other' } },
  ];
  it('joins exactly on the row\'s service name (instance id or ECS_SERVICE_NAME)', () => {
    expect(userInstances(instances, ['edgi-data-service-admin'], 'admin', registry).map((i) => [i.id, i.matchedBy])).toEqual([['edgi-data-service-admin', 'row']]);
    expect(userInstances(instances, ['edgi-data-service-jane'], 'jane', registry).map((i) => [i.id, i.matchedBy])).toEqual([['10.0.0.7', 'row']]);
  });
  it('never by a name suffix: without a row naming it, no instance is the user\'s (admin does not own jo-admin or superadmin)', () => {
    const more = [...instances, { id: 'edgi-data-service-jo-admin', attributes: { ECS_SERVICE_NAME: 'edgi-data-service-jo-admin' } }];
    expect(userInstances(more, [], 'jane@example.com', registry)).toEqual([]);
    expect(userInstances(more, [], 'admin', registry)).toEqual([]);
    expect(userInstances(more, ['edgi-data-service-admin'], 'admin', registry).map((i) => i.id)).toEqual(['edgi-data-service-admin']);
  });
  it('with --all takes every instance of the service', () => {
    expect(userInstances(instances, [], undefined, registry)).toHaveLength(4);
  });
});

describe('targetDifferences and completedSteps', () => {
  it('refuses another account, region, cluster or endpoint', () => {
    const t = { region: 'us-east-1', cluster: 'c', endpoint: 'http://127.0.0.1:1' };
    expect(targetDifferences(t, t, '1', '1')).toEqual([]);
    expect(targetDifferences(t, { region: 'eu-west-1', cluster: 'd' }, '1', '2')).toHaveLength(4);
  });
  it('reads the journal: applied steps count until a restore succeeds', () => {
    const e = (command: AuditEntry['command'], step: AuditEntry['step'], outcome: AuditEntry['outcome']) => ({ command, step, outcome }) as AuditEntry;
    expect([...completedSteps([e('apply', 'database', 'succeeded'), e('apply', 'cloud-map', 'failed')])]).toEqual(['database']);
    expect([...completedSteps([e('apply', 'guard', 'refused'), e('apply', 'database', 'failed')])]).toEqual([]);
    expect([...completedSteps([e('apply', 'database', 'succeeded'), e('restore', 'database', 'succeeded')])]).toEqual([]);
  });
});
