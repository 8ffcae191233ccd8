// How `list` and `explain` show the active waivers of a check (when a config is given).
import type { Config, Waiver } from '../config/schema.js';
import { daysLeft, isActive } from '../engine/waivers.js';

export function activeWaiversOf(cfg: Pick<Config, 'waivers'> | undefined, checkId: string, now: Date): Waiver[] {
  return (cfg?.waivers ?? []).filter((w) => w.check === checkId && isActive(w, now));
}

export function waiverLines(waivers: readonly Waiver[], now: Date): string[] {
  return waivers.map((w) => {
    const left = daysLeft(w, now);
    return `waived${w.resource ? ` for ${w.resource}` : ''} until ${w.expires} (${left} day${left === 1 ? '' : 's'} left): ${w.reason} — approved by ${w.approvedBy}`;
  });
}
