import { describe, expect, it } from 'vitest';
import { list, parseFormats } from '../../src/commands/options.js';
import { envName, envRef, resolveEndpoint, resolveTarget, withWorkspaceUser } from '../../src/config/resolve.js';
import type { Config } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';
import { config } from '../support/fixture-deployment.js';

describe('one resolver each for env: references, the endpoint and the target (src/config/resolve.ts)', () => {
  it('env:NAME reads the variable; unset and empty are both undefined', () => {
    const env = { DB_URL: 'mysql://h/db', EMPTY: '' };
    expect(envRef('env:DB_URL', env)).toBe('mysql://h/db');
    expect(envRef('env:EMPTY', env)).toBeUndefined();
    expect(envRef('env:MISSING', env)).toBeUndefined();
    expect(envName('env:DB_URL')).toBe('DB_URL');
  });

  it('the endpoint: --endpoint, else the config, else AWS_ENDPOINT_URL, else real AWS', () => {
    const env = { AWS_ENDPOINT_URL: 'http://env:1' };
    expect(resolveEndpoint('http://flag:1', { endpoint: 'http://cfg:1' }, env)).toBe('http://flag:1');
    expect(resolveEndpoint(undefined, { endpoint: 'http://cfg:1' }, env)).toBe('http://cfg:1');
    expect(resolveEndpoint(undefined, {}, env)).toBe('http://env:1');
    expect(resolveEndpoint(undefined, {}, { AWS_ENDPOINT_URL: '' })).toBeUndefined();
    expect(resolveEndpoint(undefined, undefined, {})).toBeUndefined();
  });

  it('the target names region, cluster and the endpoint only when there is one', () => {
    const cfg = { region: 'eu-west-1', cluster: 'c1' } as Config;
    expect(resolveTarget(cfg, undefined, {})).toEqual({ region: 'eu-west-1', cluster: 'c1' });
    expect(resolveTarget(cfg, 'http://x:1', {})).toEqual({ region: 'eu-west-1', cluster: 'c1', endpoint: 'http://x:1' });
  });

  it('diagnose --user gets a copy of the config; the loaded one is not changed', () => {
    const cfg = config();
    const before = JSON.stringify(cfg);
    const forUser = withWorkspaceUser(cfg, 'jo@example.com');
    expect(forUser.workspace.user).toBe('jo@example.com');
    expect(JSON.stringify(cfg)).toBe(before);
  });
});

describe('option values', () => {
  it("--only '' is a usage error, not every check", () => {
    expect(() => list('')).toThrow(UsageError);
    expect(() => list(' , ')).toThrow(UsageError);
    expect(list('a, b', ['c'])).toEqual(['c', 'a', 'b']);
  });

  it('--format accepts only known formats', () => {
    expect(parseFormats('json,console')).toEqual(['json', 'console']);
    expect(() => parseFormats('json,pdf')).toThrow(/unknown format\(s\) pdf/);
  });
});
