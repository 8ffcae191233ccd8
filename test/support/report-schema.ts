// JSON report validation against the shipped JSON Schema (schemas/askedgi-doctor-report.schema.json)
// with ajv, a validator independent of the zod shape the schema is generated from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Report } from '../../src/model.js';

export const REPORT_SCHEMA_PATH = resolve(import.meta.dirname, '../../schemas/askedgi-doctor-report.schema.json');

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as object);

/** Throws with every schema violation unless the value is a valid JSON report. */
export function assertValidReport(value: unknown, where = 'report'): void {
  if (!validate(value)) {
    throw new Error(`${where} does not match ${REPORT_SCHEMA_PATH}:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
}

/** Reads askedgi-doctor.json as the tests do (parsed JSON, as JSON.parse gives it), validating it against the schema on the way. */
export function readReport(file: string): ReturnType<typeof JSON.parse> {
  const value = JSON.parse(readFileSync(file, 'utf8'));
  assertValidReport(value, file);
  return value;
}

/** The same, typed. */
export const readTypedReport = (file: string): Report => readReport(file) as Report;
