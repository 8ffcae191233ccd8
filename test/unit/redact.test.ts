import { describe, expect, it } from 'vitest';
import { parseDbUrl } from '../../src/inventory/db.js';
import { fingerprint, isSecretName, looksLikePlaceholder, redactEnvironment, redactText } from '../../src/inventory/redact.js';

describe('redaction at the inventory edge', () => {
  it('names that say KEY/SECRET/PASSWORD/TOKEN are secrets; CREDENTIAL_TYPE and ids are not', () => {
    for (const n of ['EDGI_AWS_SECRET_KEY', 'BRIDGE_AWS_USER_ACCESS_KEY', 'DB_PASSWORD', 'OAUTH2_SECRET', 'API_TOKEN', 'openai_api_key']) expect(isSecretName(n), n).toBe(true);
    for (const n of ['EDGI_AWS_ACCESS_ID', 'CREDENTIAL_TYPE', 'EDGI_CONSUMER_CREDENTIAL_TYPE', 'BUCKET_NAME', 'AWS_REGION']) expect(isSecretName(n), n).toBe(false);
  });

  it('replaces secret values and keeps comparable facts only', () => {
    const [a, b, c] = redactEnvironment([
      { name: 'EDGI_AWS_SECRET_KEY', value: 'canary-secret-value' },
      { name: 'OTHER_SECRET', value: 'canary-secret-value' },
      { name: 'EDGI_AWS_SECRET_KEY', value: 'Edgi user secret key>' },
    ]);
    expect(JSON.stringify([a, b, c])).not.toContain('canary-secret-value');
    expect(a!.value).toBe('<redacted>');
    expect(a!.secret!.fingerprint).toBe(b!.secret!.fingerprint);
    expect(a!.secret!.fingerprint).not.toBe(c!.secret!.fingerprint);
    expect(c!.secret!.placeholder).toBe(true);
    expect(a!.secret!.placeholder).toBe(false);
    expect(fingerprint('x')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('recognises runbook placeholders', () => {
    for (const v of ['<Region>', '<S3 bucket name>', 'Edgi user secret key>', '<edgi insight service two subnets> sub1, sub2', '<dev team will provide the URL']) expect(looksLikePlaceholder(v), v).toBe(true);
    for (const v of ['us-east-1', 'askedgi-sandbox', 'a->b', 'https://x/roles']) expect(looksLikePlaceholder(v), v).toBe(false);
  });

  it('masks credentials in free text such as log lines', () => {
    const line = 'ERROR connect mysql://edgi:hunter2pass@db:3306/x failed; password=hunter2pass key AKIAABCDEFGHIJKLMNOP Bearer abcdefghijklmnop sk-abcdefghijklmnopqrstuvwx api_key: "zzzzzzzz"';
    const out = redactText(line);
    for (const s of ['hunter2pass', 'ABCDEFGHIJKLMNOP', 'abcdefghijklmnop', 'abcdefghijklmnopqrstuvwx', 'zzzzzzzz']) expect(out).not.toContain(s);
    expect(out).toContain('ERROR connect mysql://edgi:<redacted>@db:3306/x');
  });
});

describe('database URL', () => {
  it('parses mysql URLs and never echoes the password in errors', () => {
    expect(parseDbUrl('mysql://edgi:p%40ss@db.example:3307/ovaledgedb', true)).toEqual({ host: 'db.example', port: 3307, user: 'edgi', password: 'p@ss', database: 'ovaledgedb', tls: true });
    expect(() => parseDbUrl('postgres://u:canary@h/db', false)).toThrow(/scheme postgres, expected mysql/);
    expect(() => parseDbUrl('mysql://u:canary@h', false)).toThrow(/names no schema/);
    try {
      parseDbUrl('mysql://u:canary@h', false);
    } catch (e) {
      expect(String(e)).not.toContain('canary');
    }
  });
});
