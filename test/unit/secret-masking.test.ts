// Issue 11 B1–B3: secret names by whole words, secret shapes (each rule of the table tested by its
// own example), and the registry of values the doctor knows.
import { afterEach, describe, expect, it } from 'vitest';
import { redactEnvironment, redactText } from '../../src/inventory/redact.js';
import { clearKnownSecrets, maskByShape, maskKnown, maskSecrets, registerDbUrl, registerEnvReferences, registerSecret, registerSecretString } from '../../src/secrets/mask.js';
import { isSecretName } from '../../src/secrets/names.js';
import { SECRET_SHAPES } from '../../src/secrets/patterns.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../src/model.js';

afterEach(() => clearKnownSecrets());

describe('secret names: whole words', () => {
  it('names whose words say the value is a secret', () => {
    for (const n of ['EDGI_AWS_SECRET_KEY', 'BRIDGE_AWS_USER_ACCESS_KEY', 'DB_PASSWORD', 'DB_PASS', 'OAUTH2_SECRET', 'API_TOKEN', 'openai_api_key', 'openaiApiKey', 'OPENAI_API_KEY_PROD', 'SECRET_KEY_BASE', 'MYSQL_PWD', 'PASSWORD2', 'client-secret', 'PASSWORD_HASH'])
      expect(isSecretName(n), n).toBe(true);
  });
  it('names that only contain KEY/TOKEN as a word part, or name something about a secret, are not', () => {
    for (const n of ['MONKEY_COUNT', 'TOKEN_TTL', 'KEYCLOAK_URL', 'DB_SECRET_NAME', 'EDGI_USER_SECRET_NAME', 'CREDENTIAL_TYPE', 'EDGI_CONSUMER_CREDENTIAL_TYPE', 'AWS_ACCESS_KEY_ID', 'EDGI_AWS_ACCESS_ID', 'PASSWORD_RESET_URL', 'TURNKEY_MODE', 'BUCKET_NAME', 'SECRETARY', 'PASSENGER'])
      expect(isSecretName(n), n).toBe(false);
  });
});

describe('secret shapes (src/secrets/patterns.ts)', () => {
  for (const rule of SECRET_SHAPES) {
    it(`${rule.id}: ${rule.description}`, () => {
      expect(rule.example.text).toContain(rule.example.secret);
      const out = maskByShape(rule.example.text);
      expect(out).not.toContain(rule.example.secret);
      expect(out).toContain('<redacted>');
      if (rule.example.keeps) expect(out).toContain(rule.example.keeps);
    });
  }

  it('the cases of the issue: password <pw>, DB_PASS=…, --password …, raw AWS secret keys, JWTs, token prefixes', () => {
    const cases: [string, string][] = [
      ['connecting with password Tr0ub4dor&3 to db', 'Tr0ub4dor&3'],
      ['DB_PASS=s3cr3t-Value!', 's3cr3t-Value!'],
      ['cmd: app --password=hunter2pass --verbose', 'hunter2pass'],
      ['cmd: app --password "hunter2pass"', 'hunter2pass'],
      ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['{"AccessKeyId":"ASIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['GITHUB github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW'],
      ['slack xoxp-1234567890-abcdefghij', 'abcdefghij'],
      ['key AIzaSyA1234567890abcdefghijklmnopqrstuv', '1234567890abcdefghijklmnopqrstuv'],
      ['anthropic sk-ant-api03-abcdefghijklmnopqrst', 'abcdefghijklmnopqrst'],
      ['reset link https://x.example/reset?user=jo&token=abcdef123456&x=1', 'abcdef123456'],
      ['Basic ZWRnaTpodW50ZXIycGFzcw==', 'ZWRnaTpodW50ZXIycGFzcw=='],
    ];
    for (const [text, secret] of cases) expect(maskByShape(text), text).not.toContain(secret);
  });

  it('leaves ordinary deployment text alone (no false positive that garbles a report)', () => {
    const texts = [
      "Access denied for user 'edgi'@'10.0.0.5' (using password: YES)",
      'password authentication failed for user "edgi"',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:askedgi/db-AbCdEf',
      'TOKEN_TTL=3600 KEYCLOAK_URL=https://kc.example/auth MONKEY_COUNT=3 DB_SECRET_NAME=askedgi/db',
      'EDGI_AWS_SECRET_KEY=<redacted>',
      '{"secret":{"fingerprint":"0123456789abcdef","empty":false},"value":"<redacted>"}',
      'Task definition ovaledge-task:12 holds EDGI_AWS_SECRET_KEY in plaintext environment of container ui.',
      'expected: permission secretsmanager:GetSecretValue',
      'task-abcdefghijklmnopqrstuvwxyz running',
      'The password must be at least 8 characters.',
    ];
    for (const t of texts) expect(maskByShape(t), t).toBe(t);
  });
});

describe('known secrets: masked wherever and however they are written', () => {
  it('a registered value is masked raw, URL-encoded, JSON-escaped and HTML-escaped', () => {
    const pw = 'p@ss"w<0>rd&1';
    registerSecret(pw);
    for (const form of [pw, encodeURIComponent(pw), JSON.stringify(pw).slice(1, -1), 'p@ss&quot;w&lt;0&gt;rd&amp;1']) {
      expect(maskKnown(`x ${form} y`), form).toBe('x <redacted> y');
    }
  });

  it('values too short or not secret (true, yes, placeholders) are not registered', () => {
    for (const v of ['abc', 'true', 'YES', '<secret key>']) registerSecret(v);
    expect(maskKnown('abc true YES <secret key>')).toBe('abc true YES <secret key>');
  });

  it('a database URL: the URL and its password, decoded and encoded', () => {
    registerDbUrl('mysql://edgi:p%40ssw0rd!@db:3306/ovaledgedb');
    expect(maskKnown('pw p@ssw0rd! and p%40ssw0rd! and mysql://edgi:p%40ssw0rd!@db:3306/ovaledgedb')).toBe('pw <redacted> and <redacted> and <redacted>');
  });

  it('a Secrets Manager JSON value: the password and keys, not the host or user name', () => {
    registerSecretString(JSON.stringify({ host: 'db.internal', port: 3306, username: 'edgi', password: 'Zx9-secret-pw', dbname: 'ovaledgedb', apiKey: 'k-12345678' }));
    expect(maskKnown('edgi@db.internal:3306 Zx9-secret-pw k-12345678')).toBe('edgi@db.internal:3306 <redacted> <redacted>');
  });

  it("the config's env: references are registered (user names excepted)", () => {
    registerEnvReferences({ database: { url: 'env:DBURL' }, smoke: { username: 'env:U', password: 'env:P' }, other: ['env:TOKENISH'] }, { DBURL: 'mysql://u:dbpw-1234@h/db', U: 'admin', P: 'admin-pw-9876', TOKENISH: 'tok-55555' });
    expect(maskKnown('admin admin-pw-9876 dbpw-1234 tok-55555')).toBe('admin <redacted> <redacted> <redacted>');
  });

  it('secret environment values (by name or by value) are registered where they enter the inventory', () => {
    const env = redactEnvironment([
      { name: 'EDGI_AWS_SECRET_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      { name: 'JDBC', value: 'mysql://edgi:url-pw-4242@db/x' },
      { name: 'TOKEN_TTL', value: '3600' },
      { name: 'EDGI_AWS_SECRET_KEY', value: 'Edgi user secret key>' },
    ]);
    expect(env.map((e) => [e.name, e.value, e.secret?.detectedBy])).toEqual([
      ['EDGI_AWS_SECRET_KEY', '<redacted>', 'name'],
      ['JDBC', '<redacted>', 'value'],
      ['TOKEN_TTL', '3600', undefined],
      ['EDGI_AWS_SECRET_KEY', '<redacted>', 'name'],
    ]);
    // Echoed later in a log line, the plain values are masked by the registry.
    expect(redactText('ERROR host=ok wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY and url-pw-4242')).toBe('ERROR host=ok <redacted> and <redacted>');
    expect(maskSecrets('Edgi user secret key>')).toBe('Edgi user secret key>');
  });
});

describe('known secrets in a large registry (a fleet registers every customer\'s values)', () => {
  // b begins with a's last six characters (an "…a…b" text holds both, overlapping); c begins like a.
  const a = 'Qk7pW2xZr9Lm4vTn';
  const b = `${a.slice(-6)}Hd8sJq3F`;
  const c = `${a.slice(0, 8)}Yy5u`;
  it.each([
    ['a few values (searched one by one)', 0],
    ['hundreds of values (one scan of the text)', 400],
  ])('%s: every occurrence masked, overlapping ones as one span with nothing of either left', (_label, fillers) => {
    for (const v of [a, b, c]) registerSecret(v);
    for (let i = 0; i < fillers; i += 1) registerSecret(`filler-${i.toString(36)}-${(i * 7919).toString(16)}-Zq`);
    expect(maskKnown(`x${a}${b.slice(6)}y`)).toBe('x<redacted>y');
    expect(maskKnown(`${c} and ${a}`)).toBe('<redacted> and <redacted>');
    expect(maskKnown(`${a}${a}`)).toBe('<redacted><redacted>');
    expect(maskKnown(`(${b})`)).toBe('(<redacted>)');
    expect(maskKnown('nothing secret here')).toBe('nothing secret here');
    if (fillers > 0) expect(maskKnown(`filler-${(7).toString(36)}-${(7 * 7919).toString(16)}-Zq!`)).toBe('<redacted>!');
    expect(maskKnown(encodeURIComponent(`p=${a}`))).toBe('p%3D<redacted>');
  });
});

describe('masking leaves a clean report byte for byte as it was', () => {
  it('every check on the healthy fixture, rendered as JSON, JUnit, HTML and console text: maskSecrets changes nothing', async () => {
    const { CHECKS } = await import('../../src/checks/index.js');
    const { runChecks } = await import('../../src/engine/runner.js');
    const { FixtureInventory } = await import('../../src/inventory/fixture.js');
    const { buildReport } = await import('../../src/report/build.js');
    const { renderJson } = await import('../../src/report/json.js');
    const { renderJunit } = await import('../../src/report/junit.js');
    const { renderHtml } = await import('../../src/report/html.js');
    const { renderConsole } = await import('../../src/report/console.js');
    const { config, healthy } = await import('../support/fixture-deployment.js');
    const { runPolicy, remediatePolicy } = await import('../../src/iam-policy.js');
    const data = healthy();
    const inventory = new FixtureInventory(data);
    const cfg = config();
    const results = await runChecks(CHECKS, inventory, cfg);
    const report = await buildReport({ results, inventory, startedAt: new Date('2026-01-01T00:00:00Z'), durationMs: 1, target: { region: cfg.region!, cluster: cfg.cluster } });
    const texts = {
      json: renderJson(report),
      junit: renderJunit(report, { hostname: 'h' }),
      html: renderHtml(report),
      console: renderConsole(report, { color: false, verbose: true }),
      policy: JSON.stringify([runPolicy(CHECKS, [], cfg), remediatePolicy(cfg)], null, 2),
    };
    for (const [name, text] of Object.entries(texts)) {
      const masked = maskSecrets(text);
      const firstDiff = [...masked].findIndex((c, i) => c !== text[i]);
      expect(masked === text, `${name} changed near: ${text.slice(Math.max(0, firstDiff - 60), firstDiff + 60)}`).toBe(true);
    }
    expect(() => JSON.parse(maskSecrets(texts.json))).not.toThrow();
  });
});

describe('the doctor\'s own words are not secrets', () => {
  it.each([
    'OpenAI key: not run because "workspace ready" did not pass',
    '01 login: the form filled in (password masked)',
    'plaintext-secrets: warn',
  ])('%s stays as it is', (text) => {
    expect(maskSecrets(text)).toBe(text);
  });
});

describe('a secret masked inside XML and HTML leaves a well-formed file', () => {
  it('JUnit stays valid against both schemas and HTML shows the mark, with no secret in either', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeReports } = await import('../../src/report/write.js');
    const { validateJunit } = await import('../support/junit-schema.js');
    const { summarize } = await import('../../src/model.js');
    const message = 'Insight log line: ran mysql --password hunter2pass -h db and connect mysql://edgi:s3cretPw9@db:3306/x failed.';
    const results = [{ id: 'insight-log-errors', title: 'Insight logs are clean', step: 6, severity: 'high' as const, status: 'fail' as const, findings: [{ status: 'fail' as const, message, found: message }], remediation: 'Fix it.', durationMs: 1 }];
    const report: Report = { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'askedgi-doctor' as const, version: '0', node: process.version }, startedAt: '2026-01-01T00:00:00Z', target: { region: 'us-east-1', cluster: 'c' }, results, summary: summarize(results), stats: { apiCalls: {}, durationMs: 1 } };
    const dir = mkdtempSync(join(tmpdir(), 'askedgi-mask-markup-'));
    const written = writeReports(report, { formats: ['junit', 'html', 'json', 'markdown'], outDir: dir, hostname: 'h', env: {} });
    expect(written.failures).toEqual([]);
    for (const file of ['junit.xml', 'askedgi-doctor.html', 'askedgi-doctor.json', 'askedgi-doctor.md']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/hunter2pass|s3cretPw9/);
    }
    validateJunit(join(dir, 'junit.xml'));
    const html = readFileSync(join(dir, 'askedgi-doctor.html'), 'utf8');
    expect(html).toContain('--password &lt;redacted&gt;');
    expect(html).not.toContain('<redacted>');
    expect(readFileSync(join(dir, 'askedgi-doctor.json'), 'utf8')).toContain('--password <redacted>');
    // Markdown: in text the mark is escaped (GitHub would hide a raw <redacted> as an unknown tag).
    const md = readFileSync(join(dir, 'askedgi-doctor.md'), 'utf8');
    expect(md).toContain('--password &lt;redacted&gt;');
    expect(md.replace(/`[^`\n]*`/g, '')).not.toContain('<redacted>');
  });
});

describe('identifiers read out of a secret are not registered', () => {
  it('the access key id beside its secret key in a Secrets Manager value stays readable; the secret key is masked', () => {
    const id = 'AKIARZPUZDIKDLMYATAE';
    const secretKey = 'wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY1';
    registerSecretString(JSON.stringify({ BRIDGE_AWS_USER_ACCESS_KEY: id, BRIDGE_AWS_USER_SECRET_KEY: secretKey }));
    expect(maskKnown(`EDGI_AWS_ACCESS_ID=${id} and ${secretKey}`)).toBe(`EDGI_AWS_ACCESS_ID=${id} and <redacted>`);
  });
});
