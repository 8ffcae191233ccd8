// The shape of the Data (step 6) and Insight (step 7) task definitions, written once and
// parameterised by role: each data-* / insight-* check file is a typed object around one of these.
import type { Config } from '../../config/schema.js';
import { fingerprint, looksLikePlaceholder } from '../../inventory/redact.js';
import type { Inventory, SecretMetadata } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { fail, pass, warn } from '../../engine/finding.js';
import { need, resolve } from '../../resolve/core.js';
import { LOG_GROUP, LOG_GROUP_CODES, ROLE_CONTAINER_CODES, ROLE_LABEL, roleContainer, roleMain, TASK_DEFINITION, TASK_DEFINITION_CODES, type Role } from '../../resolve/deployment.js';
import { envEntry, PLAIN_VALUE_CODES, plainValue, tdName } from '../../resolve/env.js';

export { ROLE_LABEL, type Role };

type Run = (inv: Inventory, cfg: Config) => Promise<Finding[]>;

// --- definition -------------------------------------------------------------------------------

/** Root check: the family has an ACTIVE revision. */
export const TASK_DEFINITION_RUN_CODES = TASK_DEFINITION_CODES;

export function taskDefinitionRun(role: Role): Run {
  return async (inv, cfg) => {
    const r = await resolve(inv, cfg, TASK_DEFINITION[role]);
    if (!r.ok) return r.findings;
    const t = r.value;
    return [pass(`${ROLE_LABEL[role]} task definition ${tdName(t)} is the latest ACTIVE revision (${t.arn}).`, { resource: t.arn })];
  };
}

// --- size -------------------------------------------------------------------------------------

/** CPU units or MiB from "512", or from the console's "0.5 vCPU" / "2 GB" forms. */
function units(value: string | undefined, unit: 'vcpu' | 'gb'): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const m = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*${unit}$`, 'i').exec(v);
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

const trim = (n: number) => String(Number(n.toFixed(2)));
export const vcpu = (cpuUnits: number) => `${trim(cpuUnits / 1024)} vCPU`;
export const gb = (mib: number) => `${trim(mib / 1024)} GB`;
const cpuText = (n: number) => `${n} CPU units (${vcpu(n)})`;
const memText = (n: number) => `${n} MiB (${gb(n)})`;

// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
const FARGATE_MEMORY: Record<number, { min: number; max: number; step: number } | number[]> = {
  256: [512, 1024, 2048],
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

function fargateMemoryText(cpuUnits: number): string {
  const allowed = FARGATE_MEMORY[cpuUnits];
  if (!allowed) return `cpu one of ${Object.keys(FARGATE_MEMORY).join(', ')}`;
  if (Array.isArray(allowed)) return `${vcpu(cpuUnits)} with ${allowed.map(gb).join(', ')}`;
  return `${vcpu(cpuUnits)} with ${gb(allowed.min)}–${gb(allowed.max)} in ${gb(allowed.step)} steps`;
}

/** Whether cpu/memory is a task size Fargate accepts (moto accepts anything, so the doctor checks). */
export function isFargatePair(cpuUnits: number, mib: number): boolean {
  const allowed = FARGATE_MEMORY[cpuUnits];
  if (!allowed) return false;
  if (Array.isArray(allowed)) return allowed.includes(mib);
  return mib >= allowed.min && mib <= allowed.max && (mib - allowed.min) % allowed.step === 0;
}

/** cpu and memory equal the runbook's size, and form a valid Fargate pair when Fargate is required. */
export const TASK_SIZE_CODES = ['wrong-size', 'no-task-size', 'invalid-fargate-size'] as const;

export function taskSizeRun(role: Role): Run {
  return async (inv, cfg) => {
    const td = await need(inv, cfg, TASK_DEFINITION[role]);
    const name = tdName(td);
    const want = { cpu: Number(cfg.expect[role].cpu), memory: Number(cfg.expect[role].memory) };
    const cpu = units(td.cpu, 'vcpu');
    const memory = units(td.memory, 'gb');
    const findings: Finding[] = [];
    const expected = `${cpuText(want.cpu)}, ${memText(want.memory)}`;
    const found = `${cpu === undefined ? `cpu ${td.cpu ?? 'not set'}` : cpuText(cpu)}, ${memory === undefined ? `memory ${td.memory ?? 'not set'}` : memText(memory)}`;
    if (cpu !== want.cpu || memory !== want.memory) {
      findings.push(
        fail(`Task definition ${name} has ${found}; the runbook's ${ROLE_LABEL[role]} task size is ${vcpu(want.cpu)} / ${gb(want.memory)}.`, { code: 'wrong-size', resource: td.arn, expected, found }),
      );
    }
    if (td.requiresCompatibilities.includes('FARGATE')) {
      if (cpu === undefined || memory === undefined) {
        findings.push(fail(`Task definition ${name} requires FARGATE but sets no task-level cpu and memory.`, { code: 'no-task-size', resource: td.arn, expected: 'task-level cpu and memory', found }));
      } else if (!isFargatePair(cpu, memory)) {
        findings.push(
          fail(`Task definition ${name} requires FARGATE but ${vcpu(cpu)} with ${gb(memory)} is not a valid Fargate task size; ECS will not start the task.`, {
            code: 'invalid-fargate-size',
            resource: td.arn,
            expected: fargateMemoryText(cpu),
            found,
          }),
        );
      }
    }
    if (findings.length === 0) {
      const fargate = td.requiresCompatibilities.includes('FARGATE') ? ', a valid Fargate size' : '';
      findings.push(pass(`Task definition ${name} has ${found}${fargate}.`, { resource: td.arn }));
    }
    return findings;
  };
}

// --- container --------------------------------------------------------------------------------

/** A container named as the runbook says, with a port mapping for the service port. */
export const TASK_CONTAINER_CODES = ['no-container', 'no-port-mapping'] as const;

export function taskContainerRun(role: Role): Run {
  return async (inv, cfg) => {
    const td = await need(inv, cfg, TASK_DEFINITION[role]);
    const { container: want, port } = cfg.expect[role];
    // The runbook calls the Insight container name customizable: a renamed container that carries
    // the Insight variables is the application container, not a failure.
    const renamed = role === 'insight' && !td.containers.some((x) => x.name === want) ? roleMain(td, cfg, role) : undefined;
    const c = td.containers.find((x) => x.name === want) ?? (renamed && renamed.environment.length + renamed.secrets.length > 0 ? renamed : undefined);
    if (!c) {
      return [
        fail(`Task definition ${tdName(td)} has no container named ${want}.`, {
          code: 'no-container',
          resource: td.arn,
          expected: `container ${want}`,
          found: td.containers.length ? `containers ${td.containers.map((x) => x.name).join(', ')}` : 'no containers',
        }),
      ];
    }
    const ports = c.portMappings.map((p) => p.containerPort).filter((p) => p !== undefined);
    if (!ports.includes(port)) {
      return [
        fail(`Container ${c.name} of task definition ${tdName(td)} has no port mapping for ${port}.`, {
          code: 'no-port-mapping',
          resource: td.arn,
          expected: `containerPort ${port}`,
          found: ports.length ? `containerPort ${ports.join(', ')}` : 'no port mappings',
        }),
      ];
    }
    if (c.name !== want) {
      return [pass(`Task definition ${tdName(td)} has container ${c.name} (renamed from the runbook's ${want}; it carries the Insight variables) with port ${port} mapped.`, { resource: td.arn })];
    }
    return [pass(`Task definition ${tdName(td)} has container ${want} with port ${port} mapped.`, { resource: td.arn })];
  };
}

// --- environment ------------------------------------------------------------------------------

/**
 * Every required variable present and not empty or a placeholder; every fixed value as the runbook
 * sets it. Secret values are compared by fingerprint and never printed.
 */
export const TASK_ENV_CODES = [...ROLE_CONTAINER_CODES, 'variable-missing', 'empty-secret-reference', 'value-from-secret', 'variable-empty', 'placeholder', 'wrong-value'] as const;

export function taskEnvRun(role: Role): Run {
  return async (inv, cfg) => {
    const td = await need(inv, cfg, TASK_DEFINITION[role]);
    const c = roleContainer(td, cfg, role);
    if (!c.ok) return c.findings;
    const container = c.value;
    const name = tdName(td);
    const { env: fixed, requiredEnv } = cfg.expect[role];
    const findings: Finding[] = [];
    const names = [...new Set([...requiredEnv, ...Object.keys(fixed)])];
    for (const variable of names) {
      const entry = envEntry(container, variable);
      const want = fixed[variable];
      if (!entry) {
        findings.push(fail(`Task definition ${name} has no ${variable}.`, { code: 'variable-missing', resource: td.arn, expected: want === undefined ? `${variable} set` : `${variable}=${want}`, found: 'not set' }));
        continue;
      }
      if (entry.source === 'secrets') {
        if (entry.valueFrom.trim() === '') {
          findings.push(fail(`Task definition ${name} takes ${variable} from a secret with an empty valueFrom.`, { code: 'empty-secret-reference', resource: td.arn, expected: `${variable} from an existing secret`, found: 'empty valueFrom' }));
        } else if (want !== undefined) {
          findings.push(
            warn(`Task definition ${name} takes ${variable} from Secrets Manager, so its value cannot be compared with the runbook's ${want}.`, {
              code: 'value-from-secret',
              resource: td.arn,
              expected: `${variable}=${want} in environment`,
              found: `${variable} from ${entry.valueFrom}`,
            }),
          );
        }
        continue;
      }
      const secret = entry.secret;
      const empty = secret ? secret.empty : entry.value.trim() === '';
      const placeholder = secret ? secret.placeholder : looksLikePlaceholder(entry.value);
      if (empty) {
        findings.push(fail(`Task definition ${name} sets ${variable} to an empty value.`, { code: 'variable-empty', resource: td.arn, expected: want === undefined ? `${variable} set` : `${variable}=${want}`, found: 'empty' }));
      } else if (placeholder) {
        findings.push(
          fail(`Task definition ${name} still has the runbook placeholder in ${variable}.`, {
            code: 'placeholder',
            resource: td.arn,
            expected: want === undefined ? `${variable} set to the deployment's value` : `${variable}=${want}`,
            found: secret ? 'a placeholder (value redacted)' : `${variable}=${entry.value}`,
          }),
        );
      } else if (want !== undefined && (secret ? secret.fingerprint !== fingerprint(want) : entry.value !== want)) {
        findings.push(
          fail(
            secret
              ? `Task definition ${name} sets ${variable} to a value other than the runbook's ${want} (value redacted).`
              : `Task definition ${name} sets ${variable}=${entry.value}; the runbook sets ${want}.`,
            { code: 'wrong-value', resource: td.arn, expected: `${variable}=${want}`, found: secret ? `${variable}=<redacted, differs>` : `${variable}=${entry.value}` },
          ),
        );
      }
    }
    if (findings.length === 0) {
      const fixedText = Object.entries(fixed).map(([k, v]) => `${k}=${v}`).join(', ');
      findings.push(pass(`Task definition ${name} sets all ${names.length} runbook variables${fixedText ? `, with ${fixedText}` : ''}.`, { resource: td.arn }));
    }
    return findings;
  };
}

// --- logging ----------------------------------------------------------------------------------

/** awslogs driver with a group that exists and a region (the log-group resolver's own findings). */
export const TASK_LOGGING_CODES = LOG_GROUP_CODES;

export function taskLoggingRun(role: Role): Run {
  return async (inv, cfg) => {
    const r = await resolve(inv, cfg, LOG_GROUP[role]);
    return r.ok ? r.value.findings : r.findings;
  };
}

// --- storage ----------------------------------------------------------------------------------

/** Ephemeral storage within the configured range (Fargate's default is 20 GiB when unset). */
export const TASK_STORAGE_CODES = ['no-ephemeral-storage', 'storage-out-of-range'] as const;

export function taskStorageRun(role: Role): Run {
  return async (inv, cfg) => {
    const td = await need(inv, cfg, TASK_DEFINITION[role]);
    const { min, max } = cfg.expect.ephemeralStorage;
    const expected = `ephemeral storage ${min}–${max} GiB`;
    const size = td.ephemeralStorageGiB;
    if (size === undefined) {
      return [
        fail(`Task definition ${tdName(td)} sets no ephemeral storage, so tasks get the Fargate default of 20 GiB; the runbook allocates up to 200 GB.`, {
          code: 'no-ephemeral-storage',
          resource: td.arn,
          expected,
          found: 'not set (20 GiB default)',
        }),
      ];
    }
    if (size < min || size > max) {
      return [fail(`Task definition ${tdName(td)} allocates ${size} GiB of ephemeral storage, outside ${min}–${max} GiB.`, { code: 'storage-out-of-range', resource: td.arn, expected, found: `${size} GiB` })];
    }
    return [pass(`Task definition ${tdName(td)} allocates ${size} GiB of ephemeral storage.`, { resource: td.arn })];
  };
}

// --- database secret (Data only) --------------------------------------------------------------

/** The secret named by AWS_SCTNAME exists and its JSON holds every expected key (names only). */
/** The finding for a secret scheduled for deletion (DescribeSecret DeletedDate): it stops resolving on that date, and GetSecretValue already refuses it. */
export function scheduledForDeletion(meta: SecretMetadata, how: string): Finding {
  return fail(`Secret ${meta.name} (${meta.arn}) ${how} is scheduled for deletion on ${meta.deletedDate}; GetSecretValue already refuses it, so tasks that start now cannot read it. Restore it (aws secretsmanager restore-secret).`, {
    resource: meta.arn || meta.name,
    expected: 'a secret not scheduled for deletion',
    found: `DeletedDate ${meta.deletedDate}`,
    code: 'secret-scheduled-for-deletion',
  });
}

export const DB_SECRET_CODES = [...ROLE_CONTAINER_CODES, ...PLAIN_VALUE_CODES, 'secret-missing', 'secret-scheduled-for-deletion', 'not-json', 'keys-missing'] as const;

export function dbSecretRun(role: Role): Run {
  return async (inv, cfg) => {
    const td = await need(inv, cfg, TASK_DEFINITION[role]);
    const c = roleContainer(td, cfg, role);
    if (!c.ok) return c.findings;
    const read = plainValue(td, c.value, 'AWS_SCTNAME', { why: 'the database secret cannot be located', expected: 'AWS_SCTNAME=<secret name>', absent: 'error' });
    if (!read.ok) return [read.finding];
    const name = tdName(td);
    const secretName = read.value;
    // DescribeSecret first: a secret scheduled for deletion refuses GetSecretValue, and says when.
    const meta = await inv.secretMetadata(secretName);
    const absent = () => [fail(`Secret ${secretName} named by AWS_SCTNAME in ${name} does not exist in Secrets Manager.`, { resource: secretName, expected: `secret ${secretName} with keys ${cfg.expect.dbSecretKeys.join(', ')}`, found: 'no such secret', code: 'secret-missing' })];
    if (!meta) return absent();
    if (meta.deletedDate) return [scheduledForDeletion(meta, `named by AWS_SCTNAME in ${name}`)];
    const secret = await inv.secret(secretName);
    if (!secret) return absent();
    const label = `Secret ${secret.name}${secret.arn ? ` (${secret.arn})` : ''}`;
    const resource = secret.arn || secret.name;
    if (!secret.keys) {
      return [fail(`${label} named by AWS_SCTNAME is not a JSON object, so the Data service cannot read the database keys from it.`, { resource, expected: `JSON with keys ${cfg.expect.dbSecretKeys.join(', ')}`, found: 'not a JSON object', code: 'not-json' })];
    }
    const missing = cfg.expect.dbSecretKeys.filter((k) => !secret.keys!.includes(k));
    if (missing.length) {
      return [
        fail(`${label} named by AWS_SCTNAME lacks the database key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, {
          resource,
          expected: `keys ${cfg.expect.dbSecretKeys.join(', ')}`,
          found: secret.keys.length ? `keys ${secret.keys.join(', ')}` : 'no keys',
          code: 'keys-missing',
        }),
      ];
    }
    return [pass(`${label} named by AWS_SCTNAME holds the database keys ${cfg.expect.dbSecretKeys.join(', ')}.`, { resource })];
  };
}
