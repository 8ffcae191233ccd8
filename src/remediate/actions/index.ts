// The remediation actions: what each touches and the permissions it needs (`remediate list`; the
// source for a remediate IAM policy).
import type { ActionName } from '../types.js';

export interface ActionInfo {
  name: ActionName;
  usage: string;
  description: string;
  touches: string[];
  /** AWS actions for plan + apply + restore. */
  permissions: string[];
  /** Database privileges on the two edgi tables. */
  database: string[];
  /** Checks re-run (or state verified) after apply. */
  recheck: string;
}

/**
 * What Cloud Map does with the caller's permissions for an instance of a service in a DNS namespace
 * (AWS Cloud Map developer guide, "API permissions reference"): RegisterInstance writes the Route 53
 * records and health check and reads the EC2 instance named by AWS_EC2_INSTANCE_ID; DeregisterInstance
 * removes the records and the health check. Without them the write fails in AWS, not in the doctor.
 */
export const CLOUD_MAP_REGISTER_IMPLIES = ['route53:GetHealthCheck', 'route53:CreateHealthCheck', 'route53:UpdateHealthCheck', 'route53:ChangeResourceRecordSets', 'ec2:DescribeInstances'] as const;
export const CLOUD_MAP_DEREGISTER_IMPLIES = ['route53:GetHealthCheck', 'route53:DeleteHealthCheck', 'route53:UpdateHealthCheck', 'route53:ChangeResourceRecordSets'] as const;

export const ACTION_INFO: readonly ActionInfo[] = [
  {
    name: 'reset-workspace',
    usage: 'reset-workspace --user <id|email> | --all --max-rows <n>',
    description:
      "Runbook step 10, \"If Workspace is Not Created\": removes the user's rows from both edgi tables (by primary key, one transaction, after a backup) and the user's data-service instance from Cloud Map; the user then logs in again. --all is the runbook's whole-table reset and needs --max-rows.",
    touches: ['edgi_data_service_stack rows (database.stackTable)', 'edgi_data_service_uptime_history rows (database.uptimeTable)', 'Cloud Map instances of the EDGI_WORKSPACE_HOST service in the EDGI_WORKSPACE_NAME_SPACE namespace'],
    permissions: [
      ...new Set([
        'sts:GetCallerIdentity',
        'ecs:DescribeTaskDefinition',
        'servicediscovery:ListNamespaces',
        'servicediscovery:ListServices',
        'servicediscovery:ListInstances',
        'servicediscovery:DeregisterInstance',
        ...CLOUD_MAP_DEREGISTER_IMPLIES,
        // restore registers the removed instances again
        'servicediscovery:RegisterInstance',
        ...CLOUD_MAP_REGISTER_IMPLIES,
        'servicediscovery:GetOperation',
      ]),
    ],
    database: ['SELECT, DELETE (apply)', 'INSERT (restore)'],
    recheck: 'no row of the user in either table and no instance in Cloud Map; then the user logs in again',
  },
  {
    name: 'redeploy-latest',
    usage: 'redeploy-latest --service <insight|ui|job>',
    description: "Runbook steps 8–9, \"Always deploy the latest task definition revision\": updates the ECS service to its family's latest ACTIVE revision with a forced new deployment.",
    touches: ['the ECS service (services.insight | services.ui | services.job) in the cluster'],
    permissions: ['sts:GetCallerIdentity', 'ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions', 'ecs:UpdateService'],
    database: [],
    recheck: 'insight-service-running (insight) or ovaledge-services-latest (ui, job)',
  },
];

/** Every AWS action `remediate` may call. */
export const REMEDIATE_PERMISSIONS: readonly string[] = [...new Set(ACTION_INFO.flatMap((a) => a.permissions))].sort();
