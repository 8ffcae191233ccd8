// Backups: written (0600, flushed) before any change, with exactly what the change removes, so a
// restore can put it back. Sealed with a sha256 like plans, so a hand edit is refused.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { seal, verifySeal } from './guard.js';
import { writePrivateFileSync } from './files.js';
import { BACKUP_SCHEMA_VERSION, type Backup, type Plan, type PlannedInstance, type RowSet, type ServiceUpdate } from './types.js';

export const fileTime = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

export function writeBackup(dir: string, plan: Plan, planFile: string, part: { rows: RowSet[]; instances: PlannedInstance[]; serviceUpdates: ServiceUpdate[] }): string {
  const now = new Date();
  const backup = seal<Backup>({
    schemaVersion: BACKUP_SCHEMA_VERSION,
    kind: 'askedgi-doctor-backup',
    planSha256: plan.sha256,
    planFile: resolve(planFile),
    action: plan.action,
    createdAt: now.toISOString(),
    caller: plan.caller,
    target: plan.target,
    rows: part.rows,
    instances: part.instances,
    serviceUpdates: part.serviceUpdates,
  });
  const path = join(dir, `${plan.sha256.slice(0, 12)}-${fileTime(now)}-${process.pid}.json`);
  writePrivateFileSync(path, `${JSON.stringify(backup, null, 2)}\n`, { keepShapes: true });
  return path;
}

export class RefusedError extends Error {
  override name = 'RefusedError';
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Reads a backup file; a file that is not one is a usage error, a hand-edited one is refused. */
export function readBackup(path: string): Backup {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not a readable backup file (${(err as Error).message})`);
  }
  const b = raw as Backup;
  if (!b || typeof b !== 'object' || b.kind !== 'askedgi-doctor-backup') throw new UsageError(`${path}: not an askedgi-doctor backup file`);
  if (b.schemaVersion !== BACKUP_SCHEMA_VERSION) throw new UsageError(`${path}: backup schemaVersion ${String(b.schemaVersion)} is not supported (expected ${BACKUP_SCHEMA_VERSION})`);
  const sealed = verifySeal(b);
  if (!sealed.ok) throw new RefusedError(`${path}: the backup was modified after it was written, or sealed with another key (recorded seal ${sealed.recorded}, its content seals to ${sealed.actual} with the local seal key); refusing to restore from it.`);
  return b;
}
