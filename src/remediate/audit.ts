// The append-only audit log (JSON lines): one line per step of an apply or restore, and one per
// refusal. It is also the journal a re-apply reads to continue a partial apply.
import { readFileSync } from 'node:fs';
import { appendLineSync } from './files.js';
import type { AuditEntry } from './types.js';

export function appendAudit(path: string, entry: AuditEntry): void {
  appendLineSync(path, JSON.stringify(entry));
}

/** Every entry of the log for a plan hash, oldest first; a missing log is empty. Unreadable lines are skipped. */
export function auditEntries(path: string, planSha256: string): AuditEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as AuditEntry;
      if (e.planSha256 === planSha256) out.push(e);
    } catch {
      // A torn last line of a crashed writer; the rest still counts.
    }
  }
  return out;
}

/** What earlier applies of this plan completed, per step (restores reset the record). */
export function completedSteps(entries: AuditEntry[]): Set<AuditEntry['step']> {
  const done = new Set<AuditEntry['step']>();
  for (const e of entries) {
    if (e.command === 'restore' && e.outcome === 'succeeded') done.clear();
    else if (e.command === 'apply' && e.outcome === 'succeeded' && e.step !== 'guard') done.add(e.step);
  }
  return done;
}
