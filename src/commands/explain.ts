// askedgi-doctor explain <id> [-c config]
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { sanitizeTerminal } from '../report/console.js';
import { STEP_WHY, stepName } from '../report/steps.js';
import { optionalSetup, sourceOf } from './catalog.js';
import { writeOut } from './output.js';
import { dependsOn } from '../resolve/graph.js';
import { withImpliedActions } from '../inventory/operations.js';
import { activeWaiversOf, waiverLines } from './waiver-view.js';
import { ENGINE_CODES } from '../engine/finding.js';

export async function explainCommand(id: string, opts: { config?: string }): Promise<ExitCode> {
  const { checks, cfg } = await optionalSetup(opts.config);
  const c = checks.find((x) => x.id === id);
  if (!c) throw new UsageError(`unknown check id "${id}" (see askedgi-doctor list)`);
  const lines = [
    `${c.id} — ${c.title}`,
    `runbook step: ${c.step} — ${stepName(c.step)}`,
    `why:          ${STEP_WHY[c.step] ?? 'a deployment-specific rule.'}`,
    `severity:     ${c.severity}`,
    `source:       ${sourceOf(c)}`,
    `depends on:   ${dependsOn(c).join(', ') || 'nothing'}`,
    `permissions:  ${withImpliedActions(c.permissions).join(', ')}`,
    `codes:        ${(c.codes ?? []).map((k) => `${c.id}/${k}`).join(', ') || 'none declared'}`,
    `              and, for any check: ${ENGINE_CODES.map((k) => `${c.id}/${k}`).join(', ')}`,
    '',
    `how to fix:   ${c.remediation}`,
  ];
  const now = new Date();
  const waived = waiverLines(activeWaiversOf(cfg, c.id, now), now);
  if (waived.length > 0) lines.push('', `active waivers (${waived.length}):`, ...waived.map((l) => `  ${l}`));
  await writeOut(sanitizeTerminal(`${lines.join('\n')}\n`));
  return EXIT.ok;
}
