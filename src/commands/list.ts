// askedgi-doctor list [--json] [-c config]
import { EXIT, type ExitCode } from '../errors.js';
import { sanitizeTerminal } from '../report/console.js';
import { optionalSetup, sourceOf } from './catalog.js';
import { writeOut } from './output.js';
import { dependsOn } from '../resolve/graph.js';
import { activeWaiversOf, waiverLines } from './waiver-view.js';

export async function listCommand(opts: { json?: boolean; config?: string }): Promise<ExitCode> {
  const { checks, cfg } = await optionalSetup(opts.config);
  const now = new Date();
  if (opts.json) {
    const rows = checks.map((c) => {
      const waivers = activeWaiversOf(cfg, c.id, now);
      return { id: c.id, title: c.title, step: c.step, severity: c.severity, source: sourceOf(c), needs: dependsOn(c), permissions: c.permissions, remediation: c.remediation, ...(waivers.length > 0 ? { waivers } : {}) };
    });
    await writeOut(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines = checks.map((c) => {
    const mark = c.source ? `  [plugin: ${c.source}]` : '';
    const waived = waiverLines(activeWaiversOf(cfg, c.id, now), now).map((l) => `          ${l}\n`).join('');
    return sanitizeTerminal(`step ${String(c.step).padStart(2)}  ${c.severity.padEnd(8)}  ${c.id.padEnd(width)}  ${c.title}${mark}\n${waived}`);
  });
  await writeOut(lines.join(''));
  return EXIT.ok;
}
