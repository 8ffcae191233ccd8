import { main } from './cli.js';
import { guardStdio } from './secrets/mask.js';

// Every byte to stdout and stderr passes the secret masking (issue 11 B1).
guardStdio();

process.exitCode = await main(process.argv);
