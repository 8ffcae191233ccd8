// What makes the sandbox's effective permissions and network paths correct, kept apart from
// provision.ts (one call there): a second, default version of the AskEdgi ECS policy with every
// action README "Effective permissions" lists for the task role (version 1 stays, as after a real
// policy update, so a fault can make it the default again), and a NAT gateway in the public subnet
// as the Insight subnets' way out to the AWS APIs.
import { AllocateAddressCommand, CreateNatGatewayCommand, CreateRouteCommand } from '@aws-sdk/client-ec2';
import { CreatePolicyVersionCommand, GetPolicyCommand, GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients.js';
import { parsePolicyDocument } from '../inventory/live.js';
import { SANDBOX_NAMES } from './provision.js';

export interface EffectiveInput {
  region: string;
  accountId: string;
  fileSystemId: string;
  taskRolePolicyArn: string;
  privateRouteTableId: string;
  publicSubnetId: string;
}

/** The statements version 1 of the AskEdgi ECS policy lacks. */
export function taskPolicyAdditions(p: Pick<EffectiveInput, 'region' | 'accountId' | 'fileSystemId'>) {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${p.region}:${p.accountId}:${resource}`;
  return [
    { Sid: 'RunDataTasks', Effect: 'Allow', Action: 'ecs:RunTask', Resource: arn('ecs', `task-definition/${SANDBOX_NAMES.families.data}:*`) },
    { Sid: 'StopDataTasks', Effect: 'Allow', Action: ['ecs:StopTask', 'ecs:DescribeTasks'], Resource: arn('ecs', `task/${SANDBOX_NAMES.cluster}/*`) },
    { Sid: 'CloudMapOperations', Effect: 'Allow', Action: 'servicediscovery:GetOperation', Resource: '*' },
    // What Cloud Map needs of the caller to (de)register an instance in a DNS namespace (its API permissions reference).
    { Sid: 'CloudMapDnsRecords', Effect: 'Allow', Action: 'route53:ChangeResourceRecordSets', Resource: 'arn:aws:route53:::hostedzone/*' },
    { Sid: 'CloudMapHealthChecks', Effect: 'Allow', Action: ['route53:CreateHealthCheck', 'route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'ec2:DescribeInstances'], Resource: '*' },
    { Sid: 'EfsAccessPoints', Effect: 'Allow', Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], Resource: arn('elasticfilesystem', `file-system/${p.fileSystemId}`) },
  ];
}

export async function provisionEffective(clients: AwsClients, p: EffectiveInput): Promise<{ natGatewayId: string }> {
  const { iam, ec2 } = clients;
  const policy = await iam.send(new GetPolicyCommand({ PolicyArn: p.taskRolePolicyArn }));
  const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.taskRolePolicyArn, VersionId: policy.Policy?.DefaultVersionId ?? 'v1' }));
  const doc = parsePolicyDocument(v1.PolicyVersion?.Document);
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  await iam.send(
    new CreatePolicyVersionCommand({
      PolicyArn: p.taskRolePolicyArn,
      SetAsDefault: true,
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [...statements, ...taskPolicyAdditions(p)] }),
    }),
  );

  const eip = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const nat = await ec2.send(new CreateNatGatewayCommand({ SubnetId: p.publicSubnetId, AllocationId: eip.AllocationId }));
  const natGatewayId = nat.NatGateway?.NatGatewayId;
  if (!natGatewayId) throw new Error('Creating the NAT gateway returned no id.');
  await ec2.send(new CreateRouteCommand({ RouteTableId: p.privateRouteTableId, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natGatewayId }));
  return { natGatewayId };
}
