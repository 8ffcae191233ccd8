// The CLI's entry: process guards and the compile cache first, then the commander wiring (which
// loads each command's module only when that command runs).
import { abandonedWork } from './engine/abandoned.js';
import { EXIT } from './errors.js';
import { enableCompileCache, installProcessGuards } from './runtime.js';
import { guardStdio } from './secrets/mask.js';

// Every byte to stdout and stderr passes the secret masking (issue 11 B1).
guardStdio();

enableCompileCache();
let settled = false;
installProcessGuards(() => settled);
const { main } = await import('./cli.js');
const code = await main(process.argv);
settled = true;
process.exitCode = code ?? EXIT.internal;
// A check stopped by its time limit or the run's ceiling may still hold a timer or a socket: the
// reports are written, so end now instead of lingering on that work (stdout/stderr writes to pipes
// and files are synchronous on POSIX, so nothing written is lost).
if (abandonedWork() > 0) process.exit(process.exitCode);
