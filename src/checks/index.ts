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
import efsAccessPoints from './efs-access-points.js';
import efsMountTargetsInInsightAzs from './efs-mount-targets-in-insight-azs.js';
import s3BucketExists from './s3-bucket-exists.js';
import s3BucketCors from './s3-bucket-cors.js';
import bucketNameConsistent from './bucket-name-consistent.js';
// imports: steps 4–5
import iamUserPolicy from './iam-user-policy.js';
import edgiAccessKeyOwner from './edgi-access-key-owner.js';
import plaintextSecrets from './plaintext-secrets.js';
import taskRoleTrust from './task-role-trust.js';
import taskRolePolicy from './task-role-policy.js';
import taskRoleShared from './task-role-shared.js';
// imports: effective permissions and network paths
import edgiUserEffectivePermissions from './edgi-user-effective-permissions.js';
import taskRoleEffectivePermissions from './task-role-effective-permissions.js';
import executionRoleEffectivePermissions from './execution-role-effective-permissions.js';
import insightSubnetsWayOut from './insight-subnets-way-out.js';
import edgiEgressPaths from './edgi-egress-paths.js';
import edgiCallersReach8000 from './edgi-callers-reach-8000.js';
// imports: step 6
import dataTaskDefinition from './data-task-definition.js';
import dataTaskSize from './data-task-size.js';
import dataTaskContainer from './data-task-container.js';
import dataTaskEnv from './data-task-env.js';
import dataTaskLogging from './data-task-logging.js';
import dataTaskStorage from './data-task-storage.js';
import dataDbSecret from './data-db-secret.js';
import insightTaskDefinition from './insight-task-definition.js';
import insightTaskSize from './insight-task-size.js';
import insightTaskContainer from './insight-task-container.js';
import insightTaskEnv from './insight-task-env.js';
import insightTaskLogging from './insight-task-logging.js';
import insightTaskStorage from './insight-task-storage.js';
// imports: step 7
import insightPinsLatestData from './insight-pins-latest-data.js';
import dataRevisionLaunchable from './data-revision-launchable.js';
import insightDbSecret from './insight-db-secret.js';
import taskSecretReferences from './task-secret-references.js';
import insightNetworkVars from './insight-network-vars.js';
import insightClusterExists from './insight-cluster-exists.js';
import insightNamespace from './insight-namespace.js';
import insightSqsQueues from './insight-sqs-queues.js';
import insightEfsVolumes from './insight-efs-volumes.js';
import envValueAgreement from './env-value-agreement.js';
// imports: steps 8–9 and placeholders
import insightServiceRunning from './insight-service-running.js';
import insightServiceDiscovery from './insight-service-discovery.js';
import ovaledgeEdgiEnv from './ovaledge-edgi-env.js';
import ovaledgeUiJobAgree from './ovaledge-ui-job-agree.js';
import ovaledgeServicesLatest from './ovaledge-services-latest.js';
import ovaledgeOauth2 from './ovaledge-oauth2.js';
import noPlaceholders from './no-placeholders.js';
import browserSmoke from './browser-smoke.js';
import dataLogErrors from './data-log-errors.js';
import insightLogErrors from './insight-log-errors.js';
import workspaceCloudMap from './workspace-cloud-map.js';
import workspaceRow from './workspace-row.js';
import workspaceUptime from './workspace-uptime.js';
// imports: step 10 reachability probes
import ovaledgeReachable from './ovaledge-reachable.js';
import insightEndpointReachable from './insight-endpoint-reachable.js';

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
  efsAccessPoints,
  efsMountTargetsInInsightAzs,
  s3BucketExists,
  s3BucketCors,
  bucketNameConsistent,
  // checks: steps 4–5
  iamUserPolicy,
  edgiAccessKeyOwner,
  plaintextSecrets,
  taskRoleTrust,
  taskRolePolicy,
  taskRoleShared,
  // checks: effective permissions
  edgiUserEffectivePermissions,
  taskRoleEffectivePermissions,
  executionRoleEffectivePermissions,
  // checks: effective network paths
  insightSubnetsWayOut,
  edgiEgressPaths,
  edgiCallersReach8000,
  // checks: step 6
  dataTaskDefinition,
  dataTaskSize,
  dataTaskContainer,
  dataTaskEnv,
  dataTaskLogging,
  dataTaskStorage,
  dataDbSecret,
  insightTaskDefinition,
  insightTaskSize,
  insightTaskContainer,
  insightTaskEnv,
  insightTaskLogging,
  insightTaskStorage,
  // checks: step 7
  insightPinsLatestData,
  insightNetworkVars,
  dataRevisionLaunchable,
  insightDbSecret,
  insightClusterExists,
  insightNamespace,
  insightSqsQueues,
  insightEfsVolumes,
  envValueAgreement,
  // checks: steps 8–9 and placeholders
  insightServiceRunning,
  insightServiceDiscovery,
  ovaledgeEdgiEnv,
  ovaledgeUiJobAgree,
  ovaledgeServicesLatest,
  ovaledgeOauth2,
  noPlaceholders,
  taskSecretReferences,
  // checks: step 10
  workspaceRow,
  workspaceUptime,
  workspaceCloudMap,
  insightLogErrors,
  dataLogErrors,
  insightEndpointReachable,
  ovaledgeReachable,
  browserSmoke,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
