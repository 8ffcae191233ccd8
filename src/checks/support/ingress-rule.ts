import { INSIGHT_SERVICE } from '../../resolve/deployment.js';
import { need } from '../../resolve/core.js';
import type { Config } from '../../config/schema.js';
import type { Inventory } from '../../inventory/types.js';
import type { Finding } from '../../model.js';
import { fail, pass, warn } from '../../engine/finding.js';
import { edgiSource, requireSecurityGroup, SECURITY_GROUP_CODES, sgLabel } from './insight.js';
import { admittedOtherGroup, describeIngress, describeRule, ingressCoverage } from './sg.js';

type Role = 'Edgi' | 'Elasticsearch' | 'RDS' | 'EFS';

export interface IngressRuleSpec {
  /** The group that must have the inbound rule. */
  target: Role;
  /** The peer group it must allow in. */
  from: Role;
  port(cfg: Config): number;
  /** What the port is for, in the message ("Elasticsearch", "MySQL", "NFS"). */
  purpose: string;
}

function groupId(role: Role, cfg: Config, edgiSgId: string): string {
  switch (role) {
    case 'Edgi':
      return edgiSgId;
    case 'Elasticsearch':
      return cfg.securityGroups.elasticsearch;
    case 'RDS':
      return cfg.securityGroups.rds;
    case 'EFS':
      return cfg.securityGroups.efs;
  }
}

/** The run function of a check that one security group lets TCP <port> in from a peer group. */
/** What the ingress-rule checks report. */
export const INGRESS_RULE_CODES = [...SECURITY_GROUP_CODES, 'missing-rule', 'rule-too-open'] as const;

export function ingressRuleRun(spec: IngressRuleSpec) {
  return async (inv: Inventory, cfg: Config): Promise<Finding[]> => {
    const net = await need(inv, cfg, INSIGHT_SERVICE);
    const targetId = groupId(spec.target, cfg, net.edgiSgId);
    const fromId = groupId(spec.from, cfg, net.edgiSgId);
    const target = await requireSecurityGroup(inv, targetId, `${spec.target} security group`);
    if (!target.ok) return target.findings;
    const port = spec.port(cfg);
    const sg = target.value;
    const label = sgLabel(sg, spec.target);
    const expected = `inbound TCP ${port} from ${fromId} (${spec.from})`;
    const source = spec.from === 'Edgi' ? await edgiSource(inv, net.service, fromId) : { groupId: fromId };
    const cover = ingressCoverage(sg, port, source);
    if (!cover) {
      return [
        fail(`Security group ${label} has no inbound TCP ${port} rule from ${fromId} (${spec.from}); ${spec.purpose} traffic is blocked.`, {
          code: 'missing-rule',
          resource: sg.id,
          expected,
          found: describeIngress(sg),
        }),
      ];
    }
    if (cover.kind === 'broader') {
      return [
        warn(`Security group ${label} allows ${describeRule(cover.rule)}, broader than the TCP ${port} ${spec.purpose} needs (${cover.why}).`, {
          code: 'rule-too-open',
          resource: sg.id,
          expected,
          found: describeRule(cover.rule),
        }),
      ];
    }
    const other = admittedOtherGroup(cover.rule, source);
    const from = other ? `${other} (a security group the Insight service runs with beside ${fromId})` : `${fromId} (${spec.from})`;
    return [pass(`Security group ${label} allows TCP ${port} from ${from}.`, { resource: sg.id })];
  };
}
