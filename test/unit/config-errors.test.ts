// Config errors a new user can act on: the nearest key for a typo, a missing required key in words.
import { describe, expect, it } from 'vitest';
import { parseConfig, nearestKey, knownKeys } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { baseConfig } from '../../src/inventory/reference-deployment.js';

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw, 'askedgi-doctor.yaml', { env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n').slice(1).map((l) => l.trim());
    throw err;
  }
  throw new Error('the config was accepted');
}

describe('config error messages', () => {
  it('a mistyped top-level key names the nearest known key (clustr → cluster)', () => {
    const { cluster, ...rest } = baseConfig();
    expect(problems({ ...rest, clustr: cluster })).toEqual([
      'cluster: the required key "cluster" is missing (expected a string)',
      '(root): unknown key "clustr" (did you mean "cluster"?)',
    ]);
  });

  it('a mistyped nested key names the nearest key of its own section (securityGroups.rsd → rds)', () => {
    const cfg = baseConfig();
    expect(problems({ ...cfg, securityGroups: { ...cfg.securityGroups, rds: undefined, rsd: 'sg-1' } })).toEqual([
      'securityGroups.rds: the required key "rds" is missing in securityGroups (expected a string)',
      'securityGroups: unknown key "rsd" (did you mean "rds"?)',
    ]);
  });

  it('a key far from every known one lists the known keys instead of guessing', () => {
    const cfg = baseConfig();
    const [line] = problems({ ...cfg, efs: { fileSystemId: 'fs-1', zzzzzzzz: 1 } });
    expect(line).toBe('efs: unknown key "zzzzzzzz" (known keys: fileSystemId)');
  });

  it('a missing required section is named in words', () => {
    const { efs: _efs, ...rest } = baseConfig();
    expect(problems(rest)).toEqual(['efs: the required key "efs" is missing (expected a section)']);
  });

  it('keys are found through optional and defaulted sections, and a transposition is one edit', () => {
    expect(knownKeys(['database', 'stackTable'])).toContain('userColumn');
    expect(knownKeys(['expect', 'insight'])).toContain('requiredEnv');
    expect(nearestKey('culster', ['cluster', 'checks'])).toBe('cluster');
    expect(nearestKey('timeout', ['timeoutMs', 'retries'])).toBe('timeoutMs');
    expect(nearestKey('bucket', ['cluster', 'env'])).toBeUndefined();
  });
});

describe('a wrong type is not called missing', () => {
  it('a string where a number belongs keeps the type message; null counts as missing', () => {
    const cfg = baseConfig();
    expect(problems({ ...cfg, expect: { ports: { insight: 'eight thousand' } } })).toEqual(['expect.ports.insight: Invalid input: expected number, received string']);
    expect(problems({ ...cfg, cluster: null })).toEqual(['cluster: the required key "cluster" is missing (expected a string)']);
    expect(problems({ ...cfg, securityGroups: 'sg-1' })).toEqual(['securityGroups: Invalid input: expected object, received string']);
  });
});
