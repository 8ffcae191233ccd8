// Writing to stdout and stderr. A closed pipe (`askedgi-doctor list | head -1`) is not an error
// of the doctor: src/main.ts ends the process quietly on EPIPE; writes here resolve either way.

/** Writes to stdout; resolves once the text is handed to the OS (or the pipe turned out closed). */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.destroyed) return resolve();
    process.stdout.write(text, () => resolve());
  });
}

/** One line (or block) to stderr. */
export function writeErr(text: string): void {
  if (!process.stderr.destroyed) process.stderr.write(text);
}
