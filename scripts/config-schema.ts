// Writes schemas/askedgi-doctor.config.schema.json from the zod config shape in src/config/schema.ts.
// test/unit/config-schema.test.ts fails when the committed file is not what this writes.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_SCHEMA_FILE, renderConfigJsonSchema } from '../src/config/json-schema.js';

const file = resolve(import.meta.dirname, '..', CONFIG_SCHEMA_FILE);
writeFileSync(file, renderConfigJsonSchema(), 'utf8');
process.stdout.write(`wrote ${file}\n`);
