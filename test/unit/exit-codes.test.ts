import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommanderError, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError, DoctorError, EXIT, exitCodeFor, ReportWriteError, UsageError } from '../../src/errors.js';

describe('one place maps outcomes to exit codes (src/errors.ts)', () => {
  it('the codes are distinct, and a crash is 70 (EX_SOFTWARE), never 1', () => {
    expect(EXIT).toEqual({ ok: 0, findings: 1, usage: 2, confirmationRequired: 3, stillFailing: 4, internal: 70 });
    expect(new Set(Object.values(EXIT)).size).toBe(Object.values(EXIT).length);
  });

  it('typed errors carry their code; anything else is internal', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new ConfigError('f.yaml', ['a: b']))).toBe(2);
    expect(exitCodeFor(Object.assign(new ReportWriteError('/r/x.json', Object.assign(new Error('e'), { code: 'ENOTDIR' }))))).toBe(2);
    expect(new ReportWriteError('/r/x.json', Object.assign(new Error('e'), { code: 'ENOTDIR' })).message).toBe('cannot write report /r/x.json (ENOTDIR)');
    expect(exitCodeFor(new DoctorError('confirm', EXIT.confirmationRequired))).toBe(3);
    expect(exitCodeFor(new TypeError('undefined is not a function'))).toBe(70);
    expect(exitCodeFor('a string')).toBe(70);
    expect(exitCodeFor(undefined)).toBe(70);
  });

  it("commander's help and version are 0, its other errors 2 (not commander's 1)", () => {
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', ''))).toBe(0);
    expect(exitCodeFor(new CommanderError(0, 'commander.version', ''))).toBe(0);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', ''))).toBe(2);
    expect(exitCodeFor(Object.assign(new InvalidArgumentError('bad'), { code: 'commander.invalidArgument' }))).toBe(2);
  });

  it('no other module decides an exit code: process.exit and process.exitCode only in main.ts and runtime.ts', () => {
    const root = resolve(import.meta.dirname, '../../src');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const offenders = files(root)
      .filter((f) => !/\/(main|runtime)\.ts$/.test(f))
      .filter((f) => /process\.exit(Code)?\b/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => f.slice(root.length + 1))).toEqual([]);
  });
});

describe('nothing awaited hangs on an unreferenced timer', () => {
  it("no .unref() on a timer in src/, and no AbortSignal.timeout (unref'd too) outside the sandbox's emulator start-up: an awaited, unref'd timer lets Node leave with exit 13 and no report", () => {
    const root = resolve(import.meta.dirname, '../../src');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const hits = files(root).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.trim(), at: `${f.slice(root.length + 1)}:${i + 1}` }))
        .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*') && (/set(Timeout|Interval)\([^;]*\)\.unref\(\)/.test(line) || (/AbortSignal\.timeout\(/.test(line) && !f.includes('/sandbox/')))),
    );
    expect(hits).toEqual([]);
  });
});
