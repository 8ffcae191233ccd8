/** Where remediation commands write; the CLI passes the process streams, tests capture. */
export interface RemediateIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: RemediateIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};
