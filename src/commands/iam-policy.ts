// askedgi-doctor iam-policy [--only ids] [-c config] [--remediate]
import { EXIT, type ExitCode } from '../errors.js';
import { configActions, remediatePolicy, runPolicy } from '../iam-policy.js';
import { optionalSetup, selectChecks } from './catalog.js';
import { writeOut } from './output.js';

export async function iamPolicyCommand(opts: { only?: string[]; config?: string; remediate?: boolean }): Promise<ExitCode> {
  const setup = await optionalSetup(opts.config);
  const policy = opts.remediate ? remediatePolicy(setup.cfg) : runPolicy(selectChecks(setup.checks, opts.only, []), configActions(setup.cfg), setup.cfg);
  await writeOut(`${JSON.stringify(policy, null, 2)}\n`);
  return EXIT.ok;
}
