#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the "prepare" script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('askedgi-doctor: not built yet; run `npm run build` in the package directory.\n');
  process.exit(2);
}
await import(entry.href);
