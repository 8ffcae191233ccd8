// Issue 11 B4 and E: what the browser smoke test leaves behind, on the tenant and on disk. Real
// Chromium against the sandbox app (which stores uploads in the moto bucket).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { destroyClients, makeClients } from '../../src/aws/clients.js';
import { SMOKE_FILE_NAME } from '../../src/smoke/flow.js';
import { currentStack, endpoint, freshSandbox, runAll } from '../support/live.js';
import { runSmokeOnSandbox, smokeCheck, stepsOf, UPLOAD_STEPS_SKIPPED } from '../support/smoke.js';


async function smokeObjects(): Promise<string[]> {
  const clients = makeClients({ region: 'us-east-1', endpoint: endpoint() });
  try {
    const r = await clients.s3.send(new ListObjectsV2Command({ Bucket: currentStack().state.bucket }));
    return (r.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k.includes('askedgi-doctor-smoke'));
  } finally {
    destroyClients(clients);
  }
}

describe('browser smoke test: what it leaves on the tenant and on disk', () => {
  it('two runs leave one smoke file on the tenant (the well-known name is replaced), and a run removes the screenshots of the earlier run', async () => {
    const dir = await freshSandbox();
    const out = mkdtempSync(join(tmpdir(), 'askedgi-smoke-'));
    const first = await runAll(dir, [smokeCheck], out);
    expect(first.results[0]!.status).toBe('pass');
    // A screenshot and a trace of some earlier run (another step list, another failure).
    writeFileSync(join(out, 'smoke', '09-old-step.png'), 'old');
    writeFileSync(join(out, 'smoke', 'trace-SENSITIVE.zip'), 'old');
    writeFileSync(join(out, 'smoke', 'notes.txt'), 'not ours');
    const second = await runAll(dir, [smokeCheck], out);
    expect(second.results[0]!.status).toBe('pass');
    expect(await smokeObjects()).toEqual([`askedgi/admin/${SMOKE_FILE_NAME}`]);
    const files = readdirSync(join(out, 'smoke'));
    expect(files).not.toContain('09-old-step.png');
    expect(files).not.toContain('trace-SENSITIVE.zip');
    expect(files).toContain('notes.txt');
    expect(files.filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(8);
  });

  it('smoke.upload: false uploads nothing and says why at each upload step', async () => {
    const { result: r } = await runSmokeOnSandbox({ smoke: { upload: false } });
    expect(stepsOf(r)).toEqual(UPLOAD_STEPS_SKIPPED);
    expect(r.findings[3]!.message).toContain('left out by smoke.upload: false');
    expect(await smokeObjects()).toEqual([]);
  });

  it('the trace of a failed run (it holds session cookies) is written 0600', async () => {
    const { result, out } = await runSmokeOnSandbox({ fault: 'marketplace-missing' });
    expect(result.status).toBe('fail');
    const trace = join(out, 'smoke', 'trace-SENSITIVE.zip');
    expect(existsSync(trace)).toBe(true);
    expect(statSync(trace).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, 'smoke')).mode & 0o077).toBe(0);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`the browser profile directory is removed on ${signal} (Ctrl-C)`, async () => {
      const root = resolve(import.meta.dirname, '../..');
      const script = join(mkdtempSync(join(tmpdir(), 'askedgi-sig-')), 'launch.mts');
      writeFileSync(
        script,
        `import { findChromium, launch } from ${JSON.stringify(join(root, 'src/smoke/browser.ts'))};\nconst b = await launch(findChromium().path!);\nconsole.log('DIR ' + b.userDataDir);\nsetInterval(() => undefined, 1000);\n`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const dirLine = new Promise<string>((done, reject) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          stdout += c;
          const m = /DIR (\S+)/.exec(stdout);
          if (m) done(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code} before launching: ${stdout} ${stderr}`)));
      });
      const profile = await dirLine;
      expect(existsSync(profile)).toBe(true);
      const exited = new Promise<string>((done) => child.once('exit', (code, sig) => done(sig ?? `code ${code}`)));
      child.kill(signal);
      // Ended by the signal, or (Playwright listens too) with 128 + the signal's number.
      expect([signal, `code ${128 + constants.signals[signal]}`]).toContain(await exited);
      expect(existsSync(profile)).toBe(false);
    });
  }
});
