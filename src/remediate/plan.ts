// `remediate plan <action>`: reads the current state and writes the plan file. Changes nothing.
import { join, resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { planRedeployLatest } from './actions/redeploy-latest.js';
import { planResetWorkspace, planRows } from './actions/reset-workspace.js';
import { fileTime, RefusedError } from './backup.js';
import { openContext, type CommonOptions } from './context.js';
import { writePrivateFileSync } from './files.js';
import { DEFAULT_MAX_ROWS, parseMaxRows, seal } from './guard.js';
import type { RemediateIo } from './io.js';
import { renderPlan } from './render.js';
import { ACTIONS, PLAN_SCHEMA_VERSION, SERVICE_KINDS, type ActionName, type Plan, type PlanParams, type ServiceKind } from './types.js';

export interface PlanOptions extends CommonOptions {
  user?: string;
  all?: boolean;
  service?: string;
  maxRows?: string;
}

export function planParams(action: string, opts: PlanOptions): { action: ActionName; params: PlanParams } {
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action "${action}": expected ${ACTIONS.join(' or ')} (see askedgi-doctor remediate list)`);
  const maxRows = opts.maxRows !== undefined ? parseMaxRows(opts.maxRows) : DEFAULT_MAX_ROWS;
  if (action === 'reset-workspace') {
    if (opts.service !== undefined) throw new UsageError('reset-workspace takes --user or --all, not --service');
    if ((opts.user === undefined) === !opts.all) throw new UsageError('reset-workspace needs exactly one of --user <id|email> or --all');
    if (opts.user !== undefined && opts.user.trim() === '') throw new UsageError('--user must not be empty');
    if (opts.all && opts.maxRows === undefined) throw new UsageError('--all resets whole tables: it needs an explicit --max-rows <n> (the most rows you agree to delete)');
    return { action, params: opts.all ? { all: true, maxRows } : { user: opts.user!.trim(), maxRows } };
  }
  if (opts.user !== undefined || opts.all) throw new UsageError('redeploy-latest takes --service, not --user or --all');
  if (!opts.service || !(SERVICE_KINDS as readonly string[]).includes(opts.service)) throw new UsageError(`redeploy-latest needs --service ${SERVICE_KINDS.join('|')}`);
  return { action: 'redeploy-latest', params: { service: opts.service as ServiceKind, maxRows } };
}

export async function planCommand(actionArg: string, opts: PlanOptions, io: RemediateIo): Promise<number> {
  const { action, params } = planParams(actionArg, opts);
  const ctx = openContext(opts);
  try {
    const identity = await ctx.inventory.identity();
    const createdAt = new Date();
    let body: Pick<Plan, 'rows' | 'instances' | 'serviceUpdates' | 'notes'>;
    if (action === 'reset-workspace') {
      const part = await planResetWorkspace(ctx, params);
      body = { rows: planRows(part), instances: part.instances, serviceUpdates: [], notes: part.notes };
    } else {
      const part = await planRedeployLatest(ctx, params.service!);
      body = { rows: [], instances: [], serviceUpdates: part.serviceUpdates, notes: part.notes };
    }
    const plan = seal<Plan>({
      schemaVersion: PLAN_SCHEMA_VERSION,
      action,
      params,
      createdAt: createdAt.toISOString(),
      caller: { arn: identity.arn, account: identity.account },
      target: ctx.target,
      ...body,
    });
    const file = resolve(join(opts.out, 'plans', `${fileTime(createdAt)}-${action}.json`));
    writePrivateFileSync(file, `${JSON.stringify(plan, null, 2)}\n`, { keepShapes: true });
    io.out(renderPlan(plan, file));
    if (isEmpty(plan)) {
      io.out('Nothing to do: the plan changes nothing.\n');
      return EXIT.ok;
    }
    io.out(`\nNothing was changed. To apply, after review and approval:\n  askedgi-doctor remediate apply ${JSON.stringify(file)} --confirm --approved-by "<name> <ticket>"\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof RefusedError) {
      io.err(`${err.message}\n`);
      return EXIT.findings;
    }
    throw err;
  } finally {
    ctx.close();
  }
}

export const isEmpty = (p: Plan) => p.rows.every((s) => s.rows.length === 0) && p.instances.length === 0 && p.serviceUpdates.length === 0;
