// Work the runner stopped waiting for (a check past its time limit or the run's ceiling) may still
// hold a timer or a socket. The CLI asks here after the reports are written and then exits at once
// instead of letting Node linger on that work. Tiny on purpose: src/main.ts imports it.
let abandoned = 0;

/** A check was stopped while its work may still be running. */
export function markAbandoned(): void {
  abandoned++;
}

/** How many checks were stopped this process (their work may still be pending). */
export const abandonedWork = (): number => abandoned;
