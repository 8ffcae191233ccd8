// Typed errors, mapped to exit codes in one place (src/cli.ts).

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  confirmationRequired: 3,
  stillFailing: 4,
} as const;

/** Bad arguments or configuration: nothing ran (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
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
