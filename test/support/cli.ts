import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';

const root = resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How the CLI is started from source (through tsx). */
const cliCommand = (args: string[]): string[] => [process.execPath, '--import', 'tsx', resolve(root, 'src/main.ts'), ...args];

/** Everything a child writes, and its exit code; killed after 180 s. */
function collect(child: ChildProcessByStdio<Writable | null, Readable, Readable>): Promise<CliResult> {
  return new Promise((done, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * Run the real CLI in a child process (from source through tsx), as a user or CI would, without a
 * TTY. Asynchronous on purpose: the sandbox's OvalEdge app runs in the test process and must keep
 * answering the child's browser.
 */
export function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const [node, ...rest] = cliCommand(args);
  return collect(spawn(node!, rest, { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * The CLI with stdin, stdout and stderr on a pseudo-terminal (util-linux `script -qec`), as a person
 * at a terminal runs it: `stdout` is everything the terminal got (stdout and stderr of the CLI).
 */
export function cliOnTerminal(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = cliCommand(args).map(quote).join(' ');
  return collect(spawn('script', ['-qec', command, '/dev/null'], { cwd: root, env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env }, stdio: ['pipe', 'pipe', 'pipe'] }));
}
