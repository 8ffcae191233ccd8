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
// imports: steps 2–3
// imports: steps 4–5
// imports: step 6
// imports: step 7
// imports: steps 8–9 and placeholders

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
  // checks: steps 2–3
  // checks: steps 4–5
  // checks: step 6
  // checks: step 7
  // checks: steps 8–9 and placeholders
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
