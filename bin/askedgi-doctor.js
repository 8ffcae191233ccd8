#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the "prepare" script). The compile cache is
// turned on here already so that dist/ itself is cached (Node ≥ 22.1; src/compile-cache.ts says where).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('askedgi-doctor: not built yet; run `npm run build` in the package directory.\n');
  process.exit(2);
}
const cache = new URL('../dist/compile-cache.js', import.meta.url);
if (existsSync(cache)) (await import(cache.href)).enableCompileCache();
await import(entry.href);
