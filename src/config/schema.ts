import { z } from 'zod';

// Every literal the runbook fixes is a default here, overridable per deployment (DESIGN.md "Configuration").

const sgId = z.string().regex(/^sg-[0-9a-zA-Z]+$/, 'expected a security group id like sg-0abc123');
const subnetId = z.string().regex(/^subnet-[0-9a-zA-Z]+$/, 'expected a subnet id like subnet-0abc123');
/** Secrets are never written in the config file: only a reference to an environment variable. */
export const envRef = z
  .string()
  .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment reference like env:NAME (secrets never go in the config file)');

const ports = z
  .strictObject({
    insight: z.number().int().min(1).max(65535).default(8000),
    data: z.number().int().min(1).max(65535).default(8000),
    elasticsearch: z.number().int().min(1).max(65535).default(9200),
    mysql: z.number().int().min(1).max(65535).default(3306),
    nfs: z.number().int().min(1).max(65535).default(2049),
  })
  .prefault({});

const expect = z
  .strictObject({
    ports,
    /** Number of private subnets the Insight service must run in (runbook step 1: two). */
    insightSubnetCount: z.number().int().min(1).default(2),
  })
  .prefault({});

export const configSchema = z.strictObject({
  /** AWS region of the deployment; AWS_REGION / AWS_DEFAULT_REGION are used when absent. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-east-1').optional(),
  /** Expected AWS account id; when set, the caller identity must be in this account. */
  accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id').optional(),
  /** Custom AWS endpoint (an emulator such as moto). Real accounts leave this out. */
  endpoint: z.url().optional(),
  cluster: z.string().min(1),
  /** Environment name used in the access point paths /oe_edgi_insights_<env>_{logs,documents,store}. */
  env: z.string().min(1).default('dev'),
  taskDefinitions: z
    .strictObject({
      data: z.string().min(1).default('edgi-data-service'),
      insight: z.string().min(1).default('oe_edgi_insights_service'),
      ui: z.string().min(1).default('ovaledge-ui'),
      job: z.string().min(1).default('ovaledge-job'),
    })
    .prefault({}),
  services: z
    .strictObject({
      insight: z.string().min(1).default('oe-edgi-insights-service'),
      ui: z.string().min(1).default('ovaledge-ui'),
      job: z.string().min(1).default('ovaledge-job'),
    })
    .prefault({}),
  /** The Edgi SG and subnets are read from the Insight service; set these to pin them. */
  network: z
    .strictObject({
      subnets: z.array(subnetId).min(1).optional(),
      edgiSecurityGroup: sgId.optional(),
    })
    .prefault({}),
  securityGroups: z.strictObject({
    elasticsearch: sgId,
    rds: sgId,
    efs: sgId,
  }),
  efs: z.strictObject({
    fileSystemId: z.string().regex(/^fs-[0-9a-zA-Z]+$/, 'expected an EFS file system id like fs-0abc123'),
  }),
  iam: z
    .strictObject({
      user: z.string().min(1).default('edgi_user'),
      userPolicy: z.string().min(1).default('AskEdgi_policy_Saas'),
      taskRole: z.string().min(1).default('AskEdgiEcsTaskRole'),
      taskRolePolicy: z.string().min(1).default('AskEdgi_ECS_Policy'),
    })
    .prefault({}),
  database: z.strictObject({ url: envRef }).optional(),
  smoke: z
    .strictObject({
      baseUrl: z.url(),
      username: envRef,
      password: envRef,
    })
    .optional(),
  checks: z
    .strictObject({
      only: z.array(z.string()).optional(),
      skip: z.array(z.string()).default([]),
    })
    .prefault({}),
  expect,
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
