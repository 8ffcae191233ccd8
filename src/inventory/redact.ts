import { createHmac, randomBytes } from 'node:crypto';
import type { KeyValue } from './types.js';

// Redaction happens where data enters the inventory, never in reporters (DESIGN.md, security invariants).

export const REDACTED = '<redacted>';

/** Variable names whose values are secrets: never stored, printed, or saved in a bundle. */
export function isSecretName(name: string): boolean {
  return /KEY|SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL(?!_TYPE)/i.test(name);
}

// A per-process key: two secret values can be compared within one run without being recoverable.
const fingerprintKey = randomBytes(32);

export function fingerprint(value: string): string {
  return createHmac('sha256', fingerprintKey).update(value).digest('hex').slice(0, 16);
}

/** Facts about a secret value that checks may use; never the value itself. */
export interface SecretFacts {
  fingerprint: string;
  empty: boolean;
  /** Still a runbook placeholder such as "<secret key>" or "Edgi user secret key>". */
  placeholder: boolean;
  /** Looks like a long-term IAM access key id (AKIA…). */
  longTermKeyId: boolean;
}

export function secretFacts(value: string): SecretFacts {
  return {
    fingerprint: fingerprint(value),
    empty: value.trim() === '',
    placeholder: looksLikePlaceholder(value),
    longTermKeyId: /^AKIA[0-9A-Z]{12,}$/.test(value),
  };
}

/** A runbook placeholder left in place: "<Region>", "<S3 bucket name>", or a stray ">" ("Edgi user secret key>"). */
export function looksLikePlaceholder(value: string): boolean {
  return /<[^<>]*>/.test(value) || /^[^<]*>\s*$/.test(value) || /^\s*<[^>]*$/.test(value);
}

export function redactEnvironment(env: { name?: string; value?: string }[] | undefined): KeyValue[] {
  return (env ?? []).map(({ name = '', value = '' }) =>
    isSecretName(name) ? { name, value: REDACTED, secret: secretFacts(value) } : { name, value },
  );
}
