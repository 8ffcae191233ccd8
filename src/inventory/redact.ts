import { createHmac, randomBytes } from 'node:crypto';
import { maskByShape, maskSecrets, registerDbUrl } from '../secrets/mask.js';
import { isSecretName } from '../secrets/names.js';
import type { KeyValue } from './types.js';

export { isSecretName };

// Redaction happens where data enters the inventory, never in reporters (DESIGN.md, security invariants).

export const REDACTED = '<redacted>';


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
  /** Why it is a secret: its name says so, or its value looks like one (a credentialed URL, a token). */
  detectedBy?: 'name' | 'value';
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

/** A value that is a secret by its shape alone (a credentialed URL, a token, a key): whatever its name. */
export function valueLooksSecret(value: string): boolean {
  return value !== '' && maskByShape(value, { secretsOnly: true }) !== value;
}

/**
 * Environment entries as the inventory keeps them: a secret (by name, or by value whatever the name)
 * is replaced by REDACTED with facts about it, and registered so that it is masked wherever it
 * might be echoed (a log line, an error message).
 */
export function redactEnvironment(env: { name?: string; value?: string }[] | undefined): KeyValue[] {
  return (env ?? []).map(({ name = '', value = '' }) => {
    const byName = isSecretName(name);
    if (!byName && !valueLooksSecret(value)) return { name, value };
    // The value, and the password of a credentialed URL on its own (it may be echoed without the URL).
    if (!looksLikePlaceholder(value)) registerDbUrl(value);
    return { name, value: REDACTED, secret: { ...secretFacts(value), detectedBy: byName ? 'name' : 'value' } };
  });
}

/**
 * Free text from AWS (log lines, error messages) may carry credentials: masked before the text
 * enters the inventory, by shape (src/secrets/patterns.ts) and by the values the doctor knows.
 */
export function redactText(text: string): string {
  return maskSecrets(text, { identifiers: true });
}
