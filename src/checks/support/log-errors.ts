import type { Config } from '../../config/schema.js';
import type { Inventory } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { error, fail, pass, skip } from '../../engine/finding.js';
import { need } from '../../resolve/core.js';
import { LOG_GROUP } from '../../resolve/deployment.js';
import { tdName } from '../../resolve/env.js';

/** The run function of a check that a service's awslogs group has no errors in the window. */
/** What data-log-errors and insight-log-errors report. */
export const LOG_ERRORS_CODES = ['logs-elsewhere', 'log-group-missing', 'errors-logged'] as const;

export function logErrorsRun(role: 'data' | 'insight') {
  return async (inv: Inventory, cfg: Config): Promise<Finding[]> => {
    const { group, td } = await need(inv, cfg, LOG_GROUP[role]);
    if (!group) return [skip(`Task definition ${tdName(td)} sends its logs outside CloudWatch Logs (see ${role}-task-logging); the doctor cannot search them.`, { code: 'logs-elsewhere', resource: td.arn })];
    const { windowMinutes, terms, maxLines } = cfg.logs;
    const pattern = terms.join(' or ');
    const result = await inv.searchLogs(group, terms, windowMinutes, 1000);
    if (!result) return [error(`Log group ${group} of ${tdName(td)} does not exist.`, { code: 'log-group-missing', resource: group, expected: 'an existing log group', found: 'none' })];
    if (result.count === 0) return [pass(`Log group ${group} has no events containing ${pattern} in the last ${windowMinutes} minutes.`, { resource: group })];
    const shown = result.lines.slice(0, maxLines);
    return [
      fail(`Log group ${group} has ${result.count}${result.truncated ? '+' : ''} events containing ${pattern} in the last ${windowMinutes} minutes (${result.lines.length} distinct).`, {
        code: 'errors-logged',
        resource: group,
        expected: 'no errors',
        found: shown.join('\n') + (result.lines.length > shown.length ? `\n… ${result.lines.length - shown.length} more distinct lines` : ''),
      }),
    ];
  };
}
