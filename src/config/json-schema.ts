// The JSON Schema of the config file, generated from the zod shape in ./schema.ts (never written by hand).
// scripts/config-schema.ts writes it to schemas/askedgi-doctor.config.schema.json; editors use it through
// the `# yaml-language-server: $schema=…` line at the top of a config. test/unit/config-schema.test.ts
// fails when the committed file is not what this generates.
import { z } from 'zod';
import { configSchema } from './schema.js';

export const CONFIG_SCHEMA_FILE = 'schemas/askedgi-doctor.config.schema.json';
export const CONFIG_SCHEMA_ID = 'https://askedgi-doctor.invalid/schemas/askedgi-doctor.config.schema.json';

/** The JSON Schema of what a user writes for a zod shape (zod's input side: keys with defaults are optional). */
export function inputJsonSchema(schema: z.core.$ZodType, id: string, title: string): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: id, title, ...rest };
}

export function configJsonSchema(): Record<string, unknown> {
  return inputJsonSchema(configSchema, CONFIG_SCHEMA_ID, 'askedgi-doctor configuration (askedgi-doctor.yaml)');
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
