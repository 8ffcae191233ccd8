// npm run readme: regenerate the checks table in README.md from the registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHECKS } from '../src/checks/index.js';
import { replaceChecksTable } from '../src/report/catalog.js';

const file = resolve(import.meta.dirname, '..', 'README.md');
writeFileSync(file, replaceChecksTable(readFileSync(file, 'utf8'), CHECKS));
