import { z } from 'zod';
import { RESOURCE_KINDS } from '../effective/requirements.js';

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

const envMap = z.record(z.string(), z.string());

const taskExpect = (d: { cpu: string; memory: string; container: string; port: number; env: Record<string, string>; required: string[] }) =>
  z
    .strictObject({
      /** CPU units as the task definition states them ("512" = 0.5 vCPU). */
      cpu: z.string().regex(/^\d+$/, 'expected CPU units as a string of digits, e.g. "512"').default(d.cpu),
      /** Memory in MiB ("2048" = 2 GB). */
      memory: z.string().regex(/^\d+$/, 'expected memory in MiB as a string of digits, e.g. "2048"').default(d.memory),
      container: z.string().min(1).default(d.container),
      port: z.number().int().min(1).max(65535).default(d.port),
      /** Variables whose value the runbook fixes. */
      env: envMap.default(d.env),
      /** Variables that must be present (any value that is not a placeholder). */
      requiredEnv: z.array(z.string().min(1)).default(d.required),
    })
    .prefault({});

const expect = z
  .strictObject({
    ports,
    /** Number of private subnets the Insight service must run in (runbook step 1: two). */
    insightSubnetCount: z.number().int().min(1).default(2),
    /** Access point root paths are <prefix>_logs, _documents, _store; default /oe_edgi_insights_<env>. */
    accessPointPrefix: z.string().regex(/^\//, 'expected an absolute path like /oe_edgi_insights_dev').optional(),
    /** POSIX user the access points must enforce; when absent any uid/gid is accepted, but one must be set. */
    posixUser: z.strictObject({ uid: z.number().int().min(0), gid: z.number().int().min(0) }).optional(),
    /** Ephemeral storage range in GiB (Fargate allows 21–200; the runbook allocates up to 200). */
    ephemeralStorage: z
      .strictObject({ min: z.number().int().min(21).default(21), max: z.number().int().max(200).default(200) })
      .prefault({}),
    /**
     * How the Insight service builds a queue's name from SQS_QUEUE_PREFIX ({prefix}) and
     * AI_FUNCTION_QUEUE_NAME / DATA_SYNC_QUEUE_NAME ({name}); queues are matched exactly by it.
     */
    queueName: z
      .string()
      .refine((t) => t.includes('{name}'), 'expected a template containing {name}, like {prefix}-{name}')
      .default('{prefix}-{name}'),
    /** Keys the AWS_SCTNAME secret must hold (names only are read). */
    dbSecretKeys: z.array(z.string().min(1)).default(['host', 'port', 'username', 'password']),
    /** The tenant origin the bucket's CORS PUT rule must allow and suggested instead of "*", e.g. https://acme.ovaledge.net; default: the origin of smoke.baseUrl. */
    corsOrigin: z.string().optional(),
    data: taskExpect({
      cpu: '512',
      memory: '2048',
      container: 'edgi-data-service',
      port: 8000,
      env: { CREDENTIAL_TYPE: 'container', DEPLOYMENT_TYPE: 'ecs', ENV: 'production' },
      required: ['AWS_REGION', 'AWS_SCTNAME', 'BUCKET_NAME', 'CREDENTIAL_TYPE', 'DEPLOYMENT_TYPE', 'ENV'],
    }),
    insight: taskExpect({
      cpu: '1024',
      memory: '2048',
      container: 'oe_edgi_insights_service',
      port: 8000,
      env: {
        AI_FUNCTION_QUEUE_NAME: 'ai_functions_queue',
        CREDENTIAL_TYPE: 'container',
        DATA_SYNC_QUEUE_NAME: 'data_sync_queue',
        DEPLOYMENT_TYPE: 'ecs',
        DOCS_FOLDER: '/app/documents',
        EDGI_WORKSPACE_DISCOVERY: 'dynamic',
        ENV: 'prod',
        LOG_PATH: '/app/logs',
        STORE_FOLDER: '/app/store',
      },
      required: [
        'AI_FUNCTION_QUEUE_NAME', 'AWS_REGION', 'AWS_SCTNAME', 'BUCKET_NAME', 'CLUSTER_NAME', 'CREDENTIAL_TYPE',
        'DATA_SYNC_QUEUE_NAME', 'DEPLOYMENT_TYPE', 'DNS_NAME_SPACE_ID', 'DOCS_FOLDER', 'EDGI_WORKSPACE_DISCOVERY',
        'EDGI_WORKSPACE_HOST', 'EDGI_WORKSPACE_NAME_SPACE', 'ENV', 'LOG_PATH', 'SECURITY_GROUPS', 'SQS_QUEUE_PREFIX',
        'STORE_FOLDER', 'SUBNETS', 'TASK_DEFINITION',
      ],
    }),
    /** Runbook step 9: variables on both the UI and the Job task definitions (in environment or secrets). */
    ovaledge: z
      .strictObject({
        env: envMap.default({ EDGI_CONSUMER_CREDENTIAL_TYPE: 'static', EDGI_ENABLE: 'true', EDGI_WORKSPACE_DISCOVERY: 'dynamic' }),
        requiredEnv: z
          .array(z.string().min(1))
          .default([
            'BRIDGE_AWS_USER_ACCESS_KEY', 'BRIDGE_AWS_USER_SECRET_KEY', 'EDGI_AI_FUNCTION_QUEUE', 'EDGI_AWS_ACCESS_ID', 'EDGI_AWS_REGION', 'EDGI_AWS_SECRET_KEY', 'EDGI_BUCKET_NAME',
            'EDGI_CLIENT_PREFIX', 'EDGI_CONSUMER_CREDENTIAL_TYPE', 'EDGI_ENABLE', 'EDGI_INSIGHT_SERVICE_HOST',
            'EDGI_WORKSPACE_DISCOVERY', 'EDGI_WORKSPACE_HOST', 'EDGI_WORKSPACE_NAMESPACE',
          ]),
      })
      .prefault({}),
  })
  .prefault({});

/** One entry of permissions.<principal>: actions on a kind of resource of the deployment. */
const permissionRequirement = z.strictObject({
  actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*?]+$/, 'expected an IAM action like s3:GetObject')).min(1),
  resource: z.enum(RESOURCE_KINDS),
  why: z.string().min(1).default('required by the deployment (config)'),
});

/** A calendar date YYYY-MM-DD that exists (2026-02-30 does not). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-12-31 (YYYY-MM-DD)')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'expected a date that exists, like 2026-12-31');

/** One accepted risk (InSpec/Trivy style): a check's non-pass findings are `waived` until `expires`. */
export const waiverSchema = z.strictObject({
  /** The check id (see askedgi-doctor list). */
  check: z.string().min(1),
  /** The finding's resource: exact, or a glob where * matches any run of characters; absent: every finding of the check. */
  resource: z.string().min(1).optional(),
  /** Why the risk is accepted. */
  reason: z.string().min(1),
  /** Who approved it (a name and a ticket). */
  approvedBy: z.string().min(1),
  /** The last day the waiver applies (YYYY-MM-DD, UTC); afterwards it waives nothing and is reported as expired. */
  expires: isoDate,
});
export type Waiver = z.output<typeof waiverSchema>;

export const configSchema = z.strictObject({
  /** AWS region of the deployment; AWS_REGION / AWS_DEFAULT_REGION are used when absent. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-east-1').optional(),
  /** Expected AWS account id; when set, the caller identity must be in this account. */
  accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id').optional(),
  /** Custom AWS endpoint (an emulator such as moto). Real accounts leave this out. */
  endpoint: z.url().optional(),
  /** AWS SDK settings. Every request is bounded: a timeout is `error` naming the operation, never a missing permission. */
  aws: z
    .strictObject({
      timeouts: z
        .strictObject({
          /** Milliseconds to establish a connection to an AWS endpoint, per attempt. */
          connectMs: z.number().int().min(100).max(120_000).default(3_000),
          /** Milliseconds an AWS request may wait for its answer, per attempt (the SDK retries up to 5 attempts). */
          requestMs: z.number().int().min(100).max(600_000).default(10_000),
        })
        .prefault({}),
    })
    .prefault({}),
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
  /** The OvalEdge MySQL database (RDS): enables the workspace probes of step 10. Read with SELECT only. */
  database: z
    .strictObject({
      /** env:NAME holding mysql://user:password@host:port/schema. */
      url: envRef.optional(),
      /** Connect with host/port/username/password/dbname from the Data task's AWS_SCTNAME secret instead. */
      fromSecret: z.boolean().default(false),
      /** Require TLS (RDS); the server certificate is verified against the system CAs. */
      tls: z.boolean().default(false),
      /** The two edgi tables are not publicly documented: their names and key columns are configuration. */
      stackTable: z
        .strictObject({
          name: z.string().default('edgi_data_service_stack'),
          primaryKey: z.string().default('id'),
          userColumn: z.string().default('user_id'),
          emailColumn: z.string().default('user_email'),
          projectIdColumn: z.string().default('project_id'),
          serviceNameColumn: z.string().default('service_name'),
        })
        .prefault({}),
      uptimeTable: z
        .strictObject({
          name: z.string().default('edgi_data_service_uptime_history'),
          primaryKey: z.string().default('id'),
          userColumn: z.string().default('user_id'),
          stackIdColumn: z.string().default('stack_id'),
        })
        .prefault({}),
      /** A valid project id: a regular expression. */
      projectIdPattern: z.string().default('^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$'),
    })
    .refine((d) => d.url !== undefined || d.fromSecret, { message: 'set url (env:NAME) or fromSecret: true' })
    .optional(),
  /** The workspace the step-10 probes look at: an OvalEdge user id or e-mail (default: the smoke user). */
  workspace: z.strictObject({ user: z.string().min(1).optional() }).prefault({}),
  /** Server-side search of the Insight and Data log groups for errors (step 10). */
  logs: z
    .strictObject({
      windowMinutes: z.number().int().min(1).max(10_080).default(60),
      /** Terms searched server side, one FilterLogEvents query each (an event matching any is counted once). */
      terms: z.array(z.string().min(1).regex(/^[^\s"?]+$/, 'expected a single word without spaces, quotes or "?"')).min(1).default(['ERROR', 'Exception', 'Traceback']),
      maxLines: z.number().int().min(1).max(50).default(5),
    })
    .prefault({}),
  /** HTTP reachability probes: the OvalEdge base URL (smoke.baseUrl) and, inside the VPC, the Insight endpoint and Cloud Map instances. */
  http: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      /** Extra attempts after a failed one (connection errors and 5xx only). */
      retries: z.number().int().min(0).max(5).default(1),
      /** Certificates expiring within this many days are a warning. */
      certificateWarningDays: z.number().int().min(0).max(365).default(21),
      /** Port of the Insight service endpoint (EDGI_INSIGHT_SERVICE_HOST). */
      insightPort: z.number().int().min(1).max(65535).default(8000),
    })
    .prefault({}),
  /** The browser smoke test of step 10 (Playwright with the system Chromium). */
  smoke: z
    .strictObject({
      /** The tenant URL up to and including the /ovaledge context path. */
      baseUrl: z.url(),
      username: envRef,
      password: envRef,
      edition: z.enum(['data-analytics', 'metadata-analytics', 'on-prem']).default('data-analytics'),
      /** Upload askedgi-doctor-smoke.csv to the workspace (replaced on every run); false: the upload steps are skipped. */
      upload: z.boolean().default(true),
      /** Where the upload lands in the bucket (the Data task's BUCKET_NAME): the key is this prefix and the file name; `{user}` is the smoke user. */
      uploadPrefix: z.string().default('askedgi/{user}/'),
      /** Chromium executable; default CHROMIUM_PATH, then /usr/bin/chromium and the usual locations. */
      chromiumPath: z.string().optional(),
      timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
      /** Playwright selectors overriding the label/role-based defaults. */
      selectors: z
        .strictObject({
          username: z.string().optional(),
          password: z.string().optional(),
          submit: z.string().optional(),
          askedgi: z.string().optional(),
          workspaceReady: z.string().optional(),
          filesButton: z.string().optional(),
          fileInput: z.string().optional(),
          fileList: z.string().optional(),
          settingsAi: z.string().optional(),
          openAiKeyState: z.string().optional(),
          marketplace: z.string().optional(),
        })
        .prefault({}),
    })
    .optional(),
  /** What each principal must be able to do (effective permissions): a list here replaces the default list (README "Effective permissions"). */
  permissions: z
    .strictObject({
      taskRole: z.array(permissionRequirement).optional(),
      executionRole: z.array(permissionRequirement).optional(),
      edgiUser: z.array(permissionRequirement).optional(),
      /** Ask IAM (iam:SimulatePrincipalPolicy) first; the doctor's own evaluation is used when it is denied or unavailable. */
      simulate: z.boolean().default(true),
    })
    .prefault({}),
  checks: z
    .strictObject({
      only: z.array(z.string()).optional(),
      skip: z.array(z.string()).default([]),
      /** Modules with extra checks: paths relative to this file, or package names; default export = a check or an array of checks. */
      modules: z.array(z.string().min(1)).default([]),
      /** How long one check may run before it is stopped and reported as `error` (`check-timeout`); CLI --check-timeout. */
      timeoutSeconds: z.number().positive().max(86_400).default(120),
      /** The whole run's ceiling: checks still running then are `error` (`run-ceiling`) and the reports are written; CLI --timeout. */
      runTimeoutSeconds: z.number().positive().max(86_400).default(900),
    })
    .prefault({}),
  expect,
  /** Accepted risks: matching non-pass findings become `waived` (they do not affect the exit code). */
  waivers: z.array(waiverSchema).default([]),
  /** A YAML file with more waivers (a list, or `waivers:` and a list), relative to this config file. */
  waiversFile: z.string().min(1).optional(),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
