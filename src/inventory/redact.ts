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

/**
 * Free text from AWS (log lines) may carry credentials: access key ids, "password=…", bearer
 * tokens, OpenAI keys, passwords in URLs. Masked before the text enters the inventory.
 */
export function redactText(text: string): string {
  return text
    .replace(/\b(A[KS]IA)[0-9A-Z]{12,}\b/g, '$1<redacted>')
    .replace(/\bsk-[A-Za-z0-9_-]{16,}/g, 'sk-<redacted>')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 <redacted>')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1<redacted>@')
    .replace(/((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|authorization)\w*["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, '$1<redacted>');
}
