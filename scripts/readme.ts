// npm run readme: regenerate the dependency graph and the checks table in README.md from the registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHECKS } from '../src/checks/index.js';
import { replaceChecksTable } from '../src/report/catalog.js';
import { recordCatalogGraph, renderGraphModule } from '../src/resolve/catalog-graph.js';

// First the dependency graph (the table's "depends on" column reads it), then the table.
const graph = await recordCatalogGraph(CHECKS);
writeFileSync(resolve(import.meta.dirname, '..', 'src', 'resolve', 'dependencies.generated.ts'), renderGraphModule(graph));
const file = resolve(import.meta.dirname, '..', 'README.md');
writeFileSync(file, replaceChecksTable(readFileSync(file, 'utf8'), CHECKS, (c) => graph.get(c.id) ?? []));
