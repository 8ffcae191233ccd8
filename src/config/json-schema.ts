// The JSON Schema of the config file, generated from the zod shape in ./schema.ts (never written by hand).
// scripts/config-schema.ts writes it to schemas/askedgi-doctor.config.schema.json; editors use it through
// the `# yaml-language-server: $schema=…` line at the top of a config. test/unit/config-schema.test.ts
// fails when the committed file is not what this generates.
import { z } from 'zod';
import { configSchema } from './schema.js';

export const CONFIG_SCHEMA_FILE = 'schemas/askedgi-doctor.config.schema.json';
export const CONFIG_SCHEMA_ID = 'https://askedgi-doctor.invalid/schemas/askedgi-doctor.config.schema.json';

/** The schema of what a user writes (zod's input side: keys with defaults are optional). */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: CONFIG_SCHEMA_ID, title: 'askedgi-doctor configuration (askedgi-doctor.yaml)', ...rest };
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
