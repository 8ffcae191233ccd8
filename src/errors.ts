// Exit codes and typed errors. Every exit code of the CLI is decided here: commands return an
// outcome code from EXIT, typed errors carry their own code (as changesets' errors do), and
// `exitCodeFor` maps anything thrown to a code — a usage or configuration problem is 2, anything
// the doctor did not expect is INTERNAL (70, sysexits' EX_SOFTWARE), never 1, which CI reads as
// "findings".

export const EXIT = {
  /** Every check at or above --fail-on passed; remediation done and its re-check passes. */
  ok: 0,
  /** Findings at or above --fail-on; remediation refused or failed. */
  findings: 1,
  /** Bad arguments or configuration, or a report that could not be written. */
  usage: 2,
  /** `remediate apply`/`restore` without --confirm and an approver: nothing changed. */
  confirmationRequired: 3,
  /** Remediation applied, but its re-check still fails. */
  stillFailing: 4,
  /** An unexpected crash (a bug in the doctor or a plugin): EX_SOFTWARE of sysexits.h. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the doctor expected and can describe in one line; it exits with `exitCode`. */
export class DoctorError extends Error {
  override name = 'DoctorError';
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** Bad arguments or configuration: nothing ran (exit 2). */
export class UsageError extends DoctorError {
  override name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** A report file could not be written (an `-o` that is a file, a folder without write access): exit 2. */
export class ReportWriteError extends DoctorError {
  override name = 'ReportWriteError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as { code?: unknown })?.code;
    super(`cannot write report ${path}${typeof code === 'string' ? ` (${code})` : ''}`, EXIT.usage, { cause });
  }
}

/** commander's error codes that mean "printed what was asked for" (help, version). */
const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * The exit code for anything thrown out of a command: a DoctorError's own code, commander's help and
 * version 0 and its other errors 2 (commander's own would be 1), anything else INTERNAL.
 */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof DoctorError) return err.exitCode;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('commander.')) return COMMANDER_OK.has(code) ? EXIT.ok : EXIT.usage;
  return EXIT.internal;
}
