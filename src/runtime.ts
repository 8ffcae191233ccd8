// Process-level behaviour of the CLI, set up by src/main.ts before any command is loaded:
// the on-disk compile cache, quiet exits on closed pipes, and a distinct exit code for crashes.
import { writeSync } from 'node:fs';
import { EXIT } from './errors.js';
import { sanitizeTerminal } from './report/console.js';
import { constants as osConstants } from 'node:os';

export { cacheDir, enableCompileCache } from './compile-cache.js';

/** Node's major version. */
export const nodeMajor = (version: string = process.versions.node): number => Number(version.split('.')[0]);

const line = (text: string) => {
  try {
    writeSync(2, text);
  } catch {
    // stderr is gone too
  }
};

/**
 * - stdout or stderr closed by the reader (`list | head -1`): end quietly with the exit code
 *   decided so far (0 if none), no EPIPE stack trace.
 * - an exception or rejection nobody handles (a plugin's stray timer callback): one line, exit 70.
 * - the process about to end while `settled()` is false (something awaited can never finish: Node
 *   would otherwise exit 13 without a word): one line, exit 70.
 */
export function installProcessGuards(settled: () => boolean): void {
  let pipeClosed = false;
  const closedPipe = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    pipeClosed = true;
    process.exit();
  };
  process.stdout.on('error', closedPipe);
  process.stderr.on('error', closedPipe);
  const crash = (what: string) => (err: unknown) => {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    line(`askedgi-doctor: unexpected error (exit ${EXIT.internal}), ${what}: ${sanitizeTerminal(text)}\n`);
    process.exit(EXIT.internal);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
  const pending = () => !settled() && !pipeClosed && process.exitCode !== EXIT.internal;
  const NEVER = `askedgi-doctor: unexpected error (exit ${EXIT.internal}): the command stopped while waiting on work that can never finish (a promise nothing resolves)\n`;
  // The event loop is empty while the command still awaits: nothing can wake it. Said here, before
  // Node would print its own "unsettled top-level await" warning (Node 22+) and exit 13.
  process.on('beforeExit', () => {
    if (!pending()) return;
    line(NEVER);
    process.exit(EXIT.internal);
  });
  process.on('exit', () => {
    if (!pending()) return;
    line(NEVER);
    process.exitCode = EXIT.internal;
  });
}

/**
 * A user interrupted the doctor (Ctrl-C) while others listen for the signal (Playwright keeps the
 * process alive to close its browser): end with the shell's convention 128 + signal number; the
 * exit handlers (browser kill, profile removal) still run.
 */
export function exitOnSignal(signal: NodeJS.Signals): never {
  process.exit(128 + (osConstants.signals[signal] ?? 0));
}
