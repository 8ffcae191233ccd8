// Writes schemas/askedgi-doctor.fleet.schema.json from the zod fleet shape in src/fleet/schema.ts.
// test/unit/fleet.test.ts fails when the committed file is not what this writes.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FLEET_SCHEMA_FILE, renderFleetJsonSchema } from '../src/fleet/schema.js';

const file = resolve(import.meta.dirname, '..', FLEET_SCHEMA_FILE);
writeFileSync(file, renderFleetJsonSchema(), 'utf8');
process.stdout.write(`wrote ${file}\n`);
