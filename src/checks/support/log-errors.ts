import type { Config } from '../../config/schema.js';
import type { Inventory } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { error, fail, pass } from '../../engine/finding.js';
import { mainContainer, requireTaskDefinition, tdName } from './task.js';

/** The run function of a check that a service's awslogs group has no errors in the window. */
export function logErrorsRun(role: 'data' | 'insight', label: string) {
  return async (inv: Inventory, cfg: Config): Promise<Finding[]> => {
    const td = await requireTaskDefinition(inv, cfg.taskDefinitions[role], label);
    if (!td.ok) return td.findings;
    const container = mainContainer(td.value, cfg.expect[role].container);
    const group = container?.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options['awslogs-group'] : undefined;
    if (!group) {
      return [error(`Task definition ${tdName(td.value)} sends no logs to CloudWatch (no awslogs group); its errors cannot be read.`, { resource: td.value.arn, expected: 'an awslogs-group', found: 'none' })];
    }
    const { windowMinutes, terms, maxLines } = cfg.logs;
    const pattern = terms.join(' or ');
    const result = await inv.searchLogs(group, terms, windowMinutes, 1000);
    if (!result) return [error(`Log group ${group} of ${tdName(td.value)} does not exist.`, { resource: group, expected: 'an existing log group', found: 'none' })];
    if (result.count === 0) return [pass(`Log group ${group} has no events containing ${pattern} in the last ${windowMinutes} minutes.`, { resource: group })];
    const shown = result.lines.slice(0, maxLines);
    return [
      fail(`Log group ${group} has ${result.count}${result.truncated ? '+' : ''} events containing ${pattern} in the last ${windowMinutes} minutes (${result.lines.length} distinct).`, {
        resource: group,
        expected: 'no errors',
        found: shown.join('\n') + (result.lines.length > shown.length ? `\n… ${result.lines.length - shown.length} more distinct lines` : ''),
      }),
    ];
  };
}
