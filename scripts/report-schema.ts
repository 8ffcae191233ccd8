// Writes schemas/askedgi-doctor-report.schema.json from the zod shape in src/report/schema.ts.
// test/unit/report-schema.test.ts fails when the committed file is not what this writes.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPORT_SCHEMA_FILE, renderReportJsonSchema } from '../src/report/schema.js';

const file = resolve(import.meta.dirname, '..', REPORT_SCHEMA_FILE);
writeFileSync(file, renderReportJsonSchema(), 'utf8');
process.stdout.write(`wrote ${file}\n`);
