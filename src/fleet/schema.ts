// The fleet file (fleet.yaml): a base config and the customer accounts to run it against, each
// through a role the operator assumes. The JSON Schema (schemas/askedgi-doctor.fleet.schema.json)
// is generated from this shape by `npm run fleet-schema`.
import { z } from 'zod';
import { inputJsonSchema } from '../config/json-schema.js';

export const FLEET_SCHEMA_FILE = 'schemas/askedgi-doctor.fleet.schema.json';
export const FLEET_SCHEMA_ID = 'https://askedgi-doctor.invalid/schemas/askedgi-doctor.fleet.schema.json';

/** Target names become folder names and JUnit prefixes: letters, digits, `.`, `_`, `-`. */
export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** An IAM role ARN (any partition), path allowed: arn:aws:iam::123456789012:role/path/Name. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** The operator: an IAM user or role, or an assumed-role session (what sts get-caller-identity prints). */
const OPERATOR_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(user|role)\/[\w+=,.@/-]+|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
/** STS RoleSessionName: 2–64 characters of [\w+=,.@-]. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** STS ExternalId: 2–1224 characters of [\w+=,.@:/-]. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export const fleetTargetSchema = z.strictObject({
  /** Unique in the fleet; the folder of the target's reports and the prefix of its JUnit suites. */
  name: z.string().regex(TARGET_NAME, 'expected a name of letters, digits, ".", "_" or "-" (at most 64), e.g. acme-prod'),
  /** The customer's AWS account id; must be the account of roleArn. */
  accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id, e.g. "111111111111" (quoted)'),
  region: z.string().regex(REGION, 'expected an AWS region like us-east-1'),
  /** The role in the customer account the operator assumes (its trust policy: `iam-policy --fleet`). */
  roleArn: z.string().regex(ROLE_ARN, 'expected an IAM role ARN like arn:aws:iam::111111111111:role/AskEdgiDoctor'),
  /** The ExternalId the customer's trust policy requires (the confused-deputy guard for third parties). */
  externalId: z.string().regex(EXTERNAL_ID, 'expected 2 to 1224 characters of letters, digits and +=,.@:/-').optional(),
  /** The STS session name, shown in the customer's CloudTrail; default: askedgi-doctor-<operator name>. */
  sessionName: z.string().regex(SESSION_NAME, 'expected 2 to 64 characters of letters, digits and +=,.@_-').optional(),
  /** Config keys for this target, deep-merged over the base config (objects merge, lists and values replace). */
  config: z.record(z.string(), z.unknown()).optional(),
});

export const fleetSchema = z.strictObject({
  /** The editor's schema reference, ignored. */
  $schema: z.string().optional(),
  /** The base config (askedgi-doctor.yaml), relative to the fleet file. */
  config: z.string().min(1, 'expected the path of the base config file, relative to the fleet file'),
  /**
   * Who runs the fleet (an IAM user or role ARN): the principal the customer trust policies allow,
   * and the default session name (askedgi-doctor-<name>), so each customer's CloudTrail shows who looked.
   */
  operator: z.string().regex(OPERATOR_ARN, 'expected an IAM user or role ARN like arn:aws:iam::999999999999:role/OvalEdgeOperator').optional(),
  targets: z.array(fleetTargetSchema).min(1, 'expected at least one target'),
});

export type FleetFile = z.infer<typeof fleetSchema>;
export type FleetTarget = z.infer<typeof fleetTargetSchema>;

export function fleetJsonSchema(): Record<string, unknown> {
  return inputJsonSchema(fleetSchema, FLEET_SCHEMA_ID, 'askedgi-doctor fleet file (fleet.yaml)');
}

export function renderFleetJsonSchema(): string {
  return `${JSON.stringify(fleetJsonSchema(), null, 2)}\n`;
}
