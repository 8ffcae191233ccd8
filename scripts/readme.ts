// npm run readme: regenerate the dependency graph, the checks table, the copy of the example config
// and the table of contents in README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHECKS } from '../src/checks/index.js';
import { replaceChecksTable } from '../src/report/catalog.js';
import { recordCatalogGraph, renderGraphModule } from '../src/resolve/catalog-graph.js';
import { replaceGenerated } from '../src/text/readme-toc.js';

const root = resolve(import.meta.dirname, '..');
// First the dependency graph (the table's "depends on" column reads it), then the table.
const graph = await recordCatalogGraph(CHECKS);
writeFileSync(resolve(root, 'src', 'resolve', 'dependencies.generated.ts'), renderGraphModule(graph));
const file = resolve(root, 'README.md');
const withTable = replaceChecksTable(readFileSync(file, 'utf8'), CHECKS, (c) => graph.get(c.id) ?? []);
// Last the table of contents: it lists the headings of everything before.
writeFileSync(file, replaceGenerated(withTable, readFileSync(resolve(root, 'examples', 'askedgi-doctor.yaml'), 'utf8')));
