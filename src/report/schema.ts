// The JSON report's shape in zod: the source of schemas/askedgi-doctor-report.schema.json
// (`reportJsonSchema()`, written by `tsx scripts/report-schema.ts`) and of the baseline loader's validation.
// The compile-time checks at the end keep it and the `Report` type of src/model.ts the same shape.
import { z } from 'zod';
import { REPORT_SCHEMA_VERSION, SEVERITIES, STATUSES, type Report } from '../model.js';

export const REPORT_SCHEMA_ID = 'https://askedgi-doctor.invalid/schemas/askedgi-doctor-report.schema.json';
/** Where the generated schema lives in the repository and in the package. */
export const REPORT_SCHEMA_FILE = 'schemas/askedgi-doctor-report.schema.json';

const status = z.enum(STATUSES);

const attachment = z
  .object({
    kind: z.enum(['screenshot', 'trace']),
    path: z.string().describe('Relative to the directory of the report file.'),
    caption: z.string(),
  })
  .strict();

const finding = z
  .object({
    status,
    message: z.string(),
    resource: z.string().optional().describe('ARN or id of the resource, with its human name when it has one.'),
    code: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/)
      .optional()
      .describe('The kind of finding, stable across runs: <check-id>/<kind> (askedgi-doctor explain <check-id> lists them). Every non-pass finding has one.'),
    fingerprint: z.string().optional().describe('<code>@<resource>, or the code alone when there is no resource: what run --baseline matches findings by.'),
    expected: z.string().optional(),
    found: z.string().optional(),
    attachments: z.array(attachment).optional().describe('Evidence files the check wrote (screenshots, a trace).'),
    baseline: z.enum(['new', 'known']).optional().describe('With run --baseline: whether this non-pass finding was already in the baseline.'),
  })
  .strict();

const checkResult = z
  .object({
    id: z.string(),
    title: z.string(),
    step: z.number().int().min(0),
    severity: z.enum(SEVERITIES),
    status: status.describe('The worst status among the findings.'),
    findings: z.array(finding),
    remediation: z.string(),
    durationMs: z.number().min(0),
    source: z.string().optional().describe('The checks.modules entry a plugin check came from.'),
  })
  .strict();

const fixedFinding = z
  .object({
    check: z.string(),
    status,
    message: z.string(),
    resource: z.string().optional(),
    code: z.string().optional().describe('Absent when the baseline report predates codes (schemaVersion 1 or 2).'),
    fingerprint: z.string().describe('The finding\'s fingerprint; for a baseline of schemaVersion 1 or 2: check id, resource and normalised message (see README "Baseline").'),
  })
  .strict();

const baselineDiff = z
  .object({
    file: z.string(),
    startedAt: z.string(),
    new: z.number().int().min(0),
    known: z.number().int().min(0),
    fixed: z.array(fixedFinding).describe('Non-pass findings of the baseline that this run no longer has.'),
  })
  .strict();

const counts = z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int().min(0)])) as Record<(typeof STATUSES)[number], z.ZodNumber>).strict();

export const reportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    tool: z.object({ name: z.literal('askedgi-doctor'), version: z.string(), node: z.string() }).strict(),
    startedAt: z.iso.datetime(),
    target: z.object({ region: z.string(), account: z.string().optional(), cluster: z.string(), endpoint: z.string().optional() }).strict(),
    results: z.array(checkResult),
    summary: counts.describe('Number of checks per status.'),
    stats: z.object({ apiCalls: z.record(z.string(), z.number().int().min(0)), durationMs: z.number().min(0) }).strict(),
    baseline: baselineDiff.optional().describe('Present with run --baseline.'),
    filter: z
      .object({
        severity: z.array(z.enum(SEVERITIES)).min(1).describe('Only checks of these severities are reported and decide the exit code.'),
        notReported: z.number().int().min(0).describe('Checks that ran but are not reported (other severities).'),
      })
      .strict()
      .optional()
      .describe('Present with run --severity.'),
  })
  .strict()
  .meta({ title: 'askedgi-doctor JSON report', description: 'reports/askedgi-doctor.json as written by askedgi-doctor run.' });

/** The JSON Schema (draft 2020-12) of reports/askedgi-doctor.json. */
export function reportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: REPORT_SCHEMA_ID, ...rest };
}

export function renderReportJsonSchema(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}

// Compile-time: the zod shape and the model's Report type accept the same values.
type Parsed = z.infer<typeof reportSchema>;
const modelToSchema = (r: Report): Parsed => r;
const schemaToModel = (r: Parsed): Report => r;
void modelToSchema;
void schemaToModel;
