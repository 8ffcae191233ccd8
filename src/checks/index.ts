import type { Check } from '../engine/check.js';
import callerIdentity from './caller-identity.js';
import edgiSgIngressEfs from './edgi-sg-ingress-efs.js';
import edgiSgIngressElasticsearch from './edgi-sg-ingress-elasticsearch.js';
import edgiSgIngressRds from './edgi-sg-ingress-rds.js';
import edgiSgIngressVpc from './edgi-sg-ingress-vpc.js';
import efsMountTargetsAllowNfs from './efs-mount-targets-allow-nfs.js';
import elasticsearchSgAllowsEdgi from './elasticsearch-sg-allows-edgi.js';
import insightServiceNetwork from './insight-service-network.js';
import insightSubnetsPrivate from './insight-subnets-private.js';
import rdsSgAllowsEdgi from './rds-sg-allows-edgi.js';
import regionAgreement from './region-agreement.js';

/** The catalog, in runbook order. A registry test keeps it equal to the files in this folder. */
export const CHECKS: readonly Check[] = [
  callerIdentity,
  regionAgreement,
  insightServiceNetwork,
  insightSubnetsPrivate,
  edgiSgIngressVpc,
  edgiSgIngressElasticsearch,
  edgiSgIngressRds,
  edgiSgIngressEfs,
  rdsSgAllowsEdgi,
  elasticsearchSgAllowsEdgi,
  efsMountTargetsAllowNfs,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
