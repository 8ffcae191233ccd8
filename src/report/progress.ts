// The live progress line of `run` on stderr: "[12/61] checking browser-smoke 14s (upload), …",
// rewritten in place while checks run and cleared before the report is printed. Only on a terminal:
// never when stderr is a pipe or a file, and never in CI (CI=true), so logs hold the report only.
import type { Progress } from '../engine/check.js';
import type { CheckResult } from '../model.js';
import { sanitizeTerminal } from './console.js';

/** What the line is written to: process.stderr, or a fake terminal in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A progress hook that also knows how to clear its line when the run is over. */
export interface ProgressLine extends Progress {
  /** Clears the line (if anything was drawn) and stops redrawing. Safe to call twice. */
  finish(): void;
}

/** Checks running at least this long show their time: they are the slow ones someone waits for. */
const SHOW_ELAPSED_MS = 2_000;
const REDRAW_MS = 1_000;
/** Erase the whole line and return to its start. */
const CLEAR = '\r\x1b[2K';

/** Whether the progress line is drawn: stderr is a terminal, not CI, not a dumb terminal, not --quiet. */
export function progressWanted(stream: Pick<ProgressStream, 'isTTY'>, env: NodeJS.ProcessEnv, quiet = false): boolean {
  if (quiet || !stream.isTTY) return false;
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  return env.TERM !== 'dumb';
}

export interface RunningCheck {
  id: string;
  startedAt: number;
  /** The step a long check reported last (the browser smoke test's "login", …). */
  step?: string;
}

/**
 * One line, at most `columns - 1` characters wide so it never wraps (a wrapped line cannot be
 * rewritten with \r). The checks running longest come first: they are the ones being waited for.
 */
export function renderProgressLine(done: number, total: number, running: readonly RunningCheck[], now: number, columns = 80): string {
  const head = `[${done}/${total}]`;
  const parts = [...running]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((r) => {
      const elapsed = now - r.startedAt;
      const time = elapsed >= SHOW_ELAPSED_MS ? ` ${Math.floor(elapsed / 1000)}s` : '';
      const step = r.step ? ` (${r.step})` : '';
      return sanitizeTerminal(`${r.id}${time}${step}`).replace(/\n/g, ' ');
    });
  let line = parts.length === 0 ? `${head} checking…` : `${head} checking ${parts.join(', ')}…`;
  const width = Math.max(20, columns - 1);
  if (line.length > width) {
    // As many whole entries as fit, then how many more there are.
    let shown = parts.length;
    const fits = (n: number) => `${head} checking ${parts.slice(0, n).join(', ')} +${parts.length - n} more…`;
    while (shown > 1 && fits(shown).length > width) shown -= 1;
    line = shown < parts.length ? fits(shown) : line;
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
  }
  return line;
}

/** The progress hook of one run over `total` checks, drawing on `stream` (a terminal). */
export function createProgressLine(total: number, stream: ProgressStream, clock: () => number = () => performance.now()): ProgressLine {
  const running = new Map<string, RunningCheck>();
  let done = 0;
  let drawn = false;
  let finished = false;
  const draw = () => {
    if (finished) return;
    stream.write(CLEAR + renderProgressLine(done, total, [...running.values()], clock(), stream.columns || 80));
    drawn = true;
  };
  // Redraw now and then so the seconds of a slow check move; unref'd: it never keeps the run alive.
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  return {
    onStart(checkId: string) {
      running.set(checkId, { id: checkId, startedAt: clock() });
      draw();
    },
    onStep(checkId: string, step: string) {
      const r = running.get(checkId);
      if (r) r.step = step;
      draw();
    },
    onDone(result: CheckResult) {
      running.delete(result.id);
      done += 1;
      draw();
    },
    finish() {
      clearInterval(timer);
      if (drawn && !finished) stream.write(CLEAR);
      finished = true;
    },
  };
}
