// The JSON Schema of the config: generated from the zod shape, committed and shipped, and it agrees with
// the loader (ajv, an independent validator) on example configs and on configs the loader rejects.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from '../../src/config/json-schema.js';
import { parseConfig } from '../../src/config/load.js';
import { baseConfig } from '../../src/inventory/reference-deployment.js';
import { sandboxConfig, writeSandboxConfig } from '../../src/sandbox/provision/config.js';
import type { SandboxState } from '../../src/sandbox/provision/names.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCHEMA_PATH = join(ROOT, CONFIG_SCHEMA_FILE);
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

const schemaAccepts = (v: unknown): boolean => validate(v) === true;
function loaderAccepts(v: unknown): boolean {
  try {
    parseConfig(v, 'test.yaml', { env: { AWS_REGION: 'us-east-1' } });
    return true;
  } catch {
    return false;
  }
}

const state = {
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:5000',
  accountId: '123456789012',
  cluster: { name: 'askedgi-sandbox', arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/askedgi-sandbox' },
  securityGroups: { edgi: 'sg-1', elasticsearch: 'sg-2', rds: 'sg-3', efs: 'sg-4', ovaledge: 'sg-5' },
  efs: { fileSystemId: 'fs-1', mountTargetIds: [], accessPoints: { logs: 'fsap-1', documents: 'fsap-2', store: 'fsap-3' } },
} as unknown as SandboxState;

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('config JSON Schema', () => {
  it('the committed schema is what the zod shape generates (run `npm run config-schema` after changing src/config/schema.ts)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderConfigJsonSchema());
  });

  it('is shipped in the package and exported', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, string> };
    expect(pkg.files).toContain(CONFIG_SCHEMA_FILE);
    expect(pkg.exports['./config.schema.json']).toBe(`./${CONFIG_SCHEMA_FILE}`);
  });

  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => /^askedgi-doctor.*\.ya?ml$/.test(f));
  it('there is at least one example config in examples/', () => expect(examples.length).toBeGreaterThan(0));
  it.each(examples)('accepts examples/%s, which the loader accepts too, and it names the schema on its first line', (f) => {
    const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/askedgi-doctor.config.schema.json');
    const raw = parse(text) as unknown;
    expect(loaderAccepts(raw)).toBe(true);
    expect(schemaAccepts(raw), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("accepts the sandbox's written config, whose first line points at the schema (a path that resolves)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-schema-'));
    dirs.push(dir);
    const path = await writeSandboxConfig(join(dir, 'out'), sandboxConfig(state));
    const text = await readFile(path, 'utf8');
    const first = text.split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m, first).not.toBeNull();
    expect(resolve(join(dir, 'out'), m![1]!)).toBe(SCHEMA_PATH);
    const raw = parse(text) as unknown;
    expect(schemaAccepts(raw), ajv.errorsText(validate.errors)).toBe(true);
    expect(loaderAccepts(raw)).toBe(true);
  });

  it('accepts the reference deployment config', () => {
    expect(schemaAccepts(baseConfig()), ajv.errorsText(validate.errors)).toBe(true);
  });

  const base = baseConfig() as Record<string, unknown>;
  const { cluster: _c, ...noCluster } = base;
  const invalid: [string, unknown][] = [
    ['a mistyped key (clustr)', { ...noCluster, clustr: 'acme' }],
    ['a missing required key (cluster)', noCluster],
    ['an unknown nested key', { ...base, efs: { fileSystemId: 'fs-1', id: 'x' } }],
    ['a malformed security group id', { ...base, securityGroups: { elasticsearch: 'sg-1', rds: 'rds-1', efs: 'sg-3' } }],
    ['a malformed region', { ...base, region: 'US_EAST' }],
    ['a secret written in the file instead of env:NAME', { ...base, smoke: { baseUrl: 'https://x.example/ovaledge', username: 'admin', password: 'hunter2' } }],
    ['a port out of range', { ...base, expect: { ports: { mysql: 70000 } } }],
    ['a string where a number belongs', { ...base, http: { timeoutMs: '10s' } }],
    ['an unknown smoke edition', { ...base, smoke: { baseUrl: 'https://x.example/ovaledge', username: 'env:U', password: 'env:P', edition: 'cloud' } }],
    ['a non-URL endpoint', { ...base, endpoint: 'not a url' }],
  ];
  it.each(invalid)('rejects %s, as the loader does', (_name, raw) => {
    expect(loaderAccepts(raw)).toBe(false);
    expect(schemaAccepts(raw)).toBe(false);
  });
});
