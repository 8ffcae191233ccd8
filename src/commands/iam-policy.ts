// askedgi-doctor iam-policy [--only ids] [-c config] [--remediate] | iam-policy --fleet -f fleet.yaml
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { configActions, INIT_ONLY_ACTIONS, remediatePolicy, runPolicy } from '../iam-policy.js';
import { optionalSetup, selectChecks } from './catalog.js';
import { writeOut } from './output.js';

export interface IamPolicyOptions {
  only?: string[];
  config?: string;
  remediate?: boolean;
  /** --init: the run policy plus the two reads `init` adds. */
  init?: boolean;
  /** --fleet -f fleet.yaml: the operator's policy and each customer role's trust and permissions policies. */
  fleet?: boolean;
  file?: string;
}

export async function iamPolicyCommand(opts: IamPolicyOptions): Promise<ExitCode> {
  if (opts.file !== undefined && !opts.fleet) throw new UsageError('-f/--file is the fleet file of --fleet: add --fleet');
  if (opts.fleet) {
    if (opts.file === undefined) throw new UsageError('--fleet needs -f <fleet.yaml>');
    if (opts.remediate || opts.config !== undefined) throw new UsageError('--fleet takes its configs from the fleet file: leave out --remediate and -c');
    const [{ loadFleet }, { fleetPolicies }] = await Promise.all([import('../fleet/load.js'), import('../fleet/iam.js')]);
    await writeOut(`${JSON.stringify(fleetPolicies(await loadFleet(opts.file), opts.only), null, 2)}\n`);
    return EXIT.ok;
  }
  if (opts.init && opts.remediate) throw new UsageError('--init and --remediate print different policies: choose one');
  const setup = await optionalSetup(opts.config);
  const policy = opts.remediate
    ? remediatePolicy(setup.cfg)
    : runPolicy(selectChecks(setup.checks, opts.only, []), [...configActions(setup.cfg), ...(opts.init ? INIT_ONLY_ACTIONS : [])], setup.cfg);
  await writeOut(`${JSON.stringify(policy, null, 2)}\n`);
  return EXIT.ok;
}
