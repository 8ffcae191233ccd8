// Faults of effective permissions and network paths: the name-level checks still pass, the effect is broken.
import { AddUserToGroupCommand, CreateGroupCommand, DeleteRolePolicyCommand, ListPolicyVersionsCommand, PutGroupPolicyCommand, PutRolePolicyCommand, SetDefaultPolicyVersionCommand } from '@aws-sdk/client-iam';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNatGatewayCommand,
  CreateSecurityGroupCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcEndpointCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DescribeNatGatewaysCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { SANDBOX_NAMES } from '../provision.js';
import { networkAclFor, recreateService, registerTaskDefinition, replacePrivateDefaultRoute, type Fault, type FaultContext } from './support.js';

/** The API services the Insight subnets reach through interface endpoints when isolated (S3 through its gateway endpoint). */
const INTERFACE_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'sqs', 'ecs', 'servicediscovery', 'data-servicediscovery'];

/**
 * The Insight subnets made isolated (no default route) with a VPC endpoint for every AWS API: interface
 * endpoints with private DNS in the Insight subnets, in a security group of their own that lets
 * HTTPS in from the Edgi security group when `admitEdgi` (else only from itself, like a VPC's
 * default group), and the S3 gateway endpoint on the private route table.
 */
export async function isolateWithEndpoints(ctx: FaultContext, admitEdgi: boolean): Promise<void> {
  const { ec2 } = ctx.clients;
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'askedgi-vpc-endpoints', Description: 'interface VPC endpoints', VpcId: ctx.state.vpc.id }))).GroupId;
  if (!sg) throw new Error('Creating the endpoint security group returned no id.');
  const from = admitEdgi ? ctx.state.securityGroups.edgi : sg;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: from }] }] }));
  for (const service of INTERFACE_SERVICES) {
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: ctx.state.vpc.id,
        ServiceName: `com.amazonaws.${ctx.region}.${service}`,
        VpcEndpointType: 'Interface',
        SubnetIds: [...ctx.state.subnets.insight],
        SecurityGroupIds: [sg],
        PrivateDnsEnabled: true,
      }),
    );
  }
  await ec2.send(new CreateVpcEndpointCommand({ VpcId: ctx.state.vpc.id, ServiceName: `com.amazonaws.${ctx.region}.s3`, VpcEndpointType: 'Gateway', RouteTableIds: [ctx.state.routeTables.privateId] }));
  await ec2.send(new DeleteRouteCommand({ RouteTableId: ctx.state.routeTables.privateId, DestinationCidrBlock: '0.0.0.0/0' }));
}

/** The Edgi IAM user added to a new group whose one inline policy has `statements` (its attached policy stays). */
async function addEdgiUserToGroup(ctx: FaultContext, group: string, policyName: string, statements: Record<string, unknown>[]): Promise<void> {
  const { iam } = ctx.clients;
  await iam.send(new CreateGroupCommand({ GroupName: group }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: policyName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: ctx.state.iam.userName }));
}

export const EFFECTIVE_FAULTS: Fault[] = [
  {
    name: 'task-policy-old-default-version',
    step: 5,
    description:
      'The AskEdgi ECS policy is still attached to the task role, but its default version is set back to v1, which lacks ecs:RunTask, ecs:StopTask, servicediscovery:GetOperation and the EFS client actions.',
    expect: { 'task-role-effective-permissions': 'fail' },
    async apply(ctx) {
      const arn = ctx.state.iam.taskRolePolicyArn;
      const versions = (await ctx.clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
      const oldest = versions.map((v) => v.VersionId ?? '').sort()[0];
      if (!oldest) throw new Error(`Policy ${arn} has no versions.`);
      await ctx.clients.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: oldest }));
    },
  },
  {
    name: 'task-role-route53-denied',
    step: 5,
    description:
      'A guardrail inline policy on the task role denies route53:ChangeResourceRecordSets: every servicediscovery action is still allowed, but Cloud Map cannot write a workspace instance\'s DNS records in the namespace\'s hosted zone, so RegisterInstance fails.',
    expect: { 'task-role-effective-permissions': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: SANDBOX_NAMES.iam.taskRole,
          PolicyName: 'NoDnsChanges',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoRoute53Changes', Effect: 'Deny', Action: 'route53:ChangeResourceRecordSets', Resource: '*' }] }),
        }),
      );
    },
  },
  {
    name: 'execution-role-cannot-read-secrets',
    step: 5,
    description: 'The execution role loses its inline policy for the Edgi user secret, so ECS cannot resolve the UI and Job secrets[].valueFrom at task start.',
    expect: { 'execution-role-effective-permissions': 'fail' },
    async apply(ctx) {
      await ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: ctx.state.iam.executionRoleName, PolicyName: 'AskEdgiExecutionSecrets' }));
    },
  },
  {
    // moto does not implement PutUserPermissionsBoundary (boundaries on users are tested on the fixture).
    name: 'edgi-user-group-denies-sqs',
    step: 4,
    description: 'The Edgi IAM user is added to a group whose inline policy denies sqs:ReceiveMessage: AskEdgi_policy_Saas stays attached, but the Deny wins on both queues.',
    expect: { 'edgi-user-effective-permissions': 'fail' },
    apply: (ctx) =>
      addEdgiUserToGroup(ctx, 'askedgi-guardrails', 'NoQueueReads', [{ Sid: 'NoReceive', Effect: 'Deny', Action: 'sqs:ReceiveMessage', Resource: '*' }]),
  },
  {
    name: 'edgi-user-mfa-required',
    step: 4,
    description:
      'The Edgi IAM user is added to a group carrying AWS\'s "force MFA" policy (Deny everything but MFA self-service with BoolIfExists aws:MultiFactorAuthPresent false): calls signed with the user\'s long-term access key carry no MFA key, so the Deny applies to every S3 and SQS call of the OvalEdge UI and Job.',
    expect: { 'edgi-user-effective-permissions': 'fail' },
    apply: (ctx) =>
      addEdgiUserToGroup(ctx, 'askedgi-mfa-required', 'ForceMFA', [
        {
          Sid: 'BlockMostAccessUnlessSignedInWithMFA',
          Effect: 'Deny',
          NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice', 'sts:GetSessionToken'],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false', 'aws:ViaAWSService': 'false' } },
        },
      ]),
  },
  {
    name: 'nat-gateway-deleted',
    step: 1,
    description: 'The NAT gateway of the private route table is deleted: the Insight subnets stay private but have no way out to ECR, Logs, Secrets Manager, SQS, S3, ECS or Cloud Map (no VPC endpoints either).',
    expect: { 'insight-subnets-way-out': 'fail' },
    async apply(ctx) {
      const nats = (await ctx.clients.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [ctx.state.vpc.id] }] }))).NatGateways ?? [];
      if (nats.length === 0) throw new Error('The sandbox has no NAT gateway.');
      for (const nat of nats) await ctx.clients.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId }));
    },
  },
  {
    name: 'insight-egress-via-transit-gateway',
    step: 1,
    description:
      'The Insight subnets\' default route goes to a transit gateway instead of the NAT gateway, as in a Control Tower landing zone with a central egress VPC: the subnets are not isolated, but the way out beyond the transit gateway is outside this VPC and not verified (warn).',
    expect: { 'insight-subnets-way-out': 'warn' },
    async apply(ctx) {
      const { ec2 } = ctx.clients;
      const tgw = (await ec2.send(new CreateTransitGatewayCommand({ Description: 'central egress (shared from the network account)' }))).TransitGateway?.TransitGatewayId;
      if (!tgw) throw new Error('Creating the transit gateway returned no id.');
      await ec2.send(new CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw, VpcId: ctx.state.vpc.id, SubnetIds: [...ctx.state.subnets.insight] }));
      await replacePrivateDefaultRoute(ctx, { TransitGatewayId: tgw });
    },
  },
  {
    name: 'insight-nat-gateway-private',
    step: 1,
    description:
      'The Insight subnets\' default route goes to a private NAT gateway (ConnectivityType private) instead of the public one: a private NAT gateway has no internet access of its own, so the way out depends on routes beyond it that the doctor does not follow (warn), not a pass.',
    expect: { 'insight-subnets-way-out': 'warn' },
    async apply(ctx) {
      const nat = (await ctx.clients.ec2.send(new CreateNatGatewayCommand({ SubnetId: ctx.state.subnets.public, ConnectivityType: 'private' }))).NatGateway?.NatGatewayId;
      if (!nat) throw new Error('Creating the private NAT gateway returned no id.');
      await replacePrivateDefaultRoute(ctx, { NatGatewayId: nat });
    },
  },
  {
    name: 'vpc-endpoints-shut-insight-out',
    step: 1,
    description:
      'The Insight subnets are isolated (no default route) with an interface VPC endpoint (private DNS) for every AWS API and the S3 gateway endpoint, but the endpoints\' security group admits HTTPS only from itself, as a VPC\'s default group does: the Edgi egress allows 443, yet ECR, Logs, Secrets Manager, SQS, ECS and Cloud Map time out.',
    expect: { 'edgi-egress-paths': 'fail' },
    async apply(ctx) {
      await isolateWithEndpoints(ctx, false);
    },
  },
  {
    name: 'edgi-sg-egress-https-only',
    step: 1,
    description: 'The Edgi security group\'s outbound rules allow only HTTPS (TCP 443 to 0.0.0.0/0): its inbound rules are intact, but Insight cannot open connections to RDS 3306, Elasticsearch 9200 or EFS 2049.',
    expect: { 'edgi-egress-paths': 'fail' },
    async apply(ctx) {
      const { ec2 } = ctx.clients;
      const GroupId = ctx.state.securityGroups.edgi;
      await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
      await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    },
  },
  {
    name: 'ui-service-bridge-network',
    step: 1,
    description:
      'The OvalEdge UI runs on EC2 container instances in bridge network mode (a new UI revision, its service re-created with launch type EC2 and no awsvpc configuration): its tasks reach Insight from the instances\' network, which the doctor does not read, so the path is not verified (warn), never passed on nothing.',
    expect: { 'edgi-callers-reach-8000': 'warn' },
    async apply(ctx) {
      const arn = await registerTaskDefinition(ctx, SANDBOX_NAMES.families.ui, (input) => ({ ...input, networkMode: 'bridge', requiresCompatibilities: ['EC2'] }));
      ctx.state.services.ui = await recreateService(ctx, SANDBOX_NAMES.services.ui, (input) => {
        const { networkConfiguration: _awsvpc, ...rest } = input;
        return { ...rest, taskDefinition: arn, launchType: 'EC2' };
      });
      ctx.state.taskDefinitions.ui = arn;
    },
  },
  {
    name: 'ui-subnet-nacl-blocks-8000',
    step: 1,
    description:
      'The OvalEdge UI service runs in the public subnet, whose network ACL denies outbound TCP 8000 into the VPC (rule 50): the Edgi group\'s 8000 rule still admits the VPC range, but the UI cannot reach Insight.',
    expect: { 'edgi-callers-reach-8000': 'fail' },
    async apply(ctx) {
      const subnet = ctx.state.subnets.public;
      await networkAclFor(ctx, [subnet], [
        { RuleNumber: 50, Egress: true, RuleAction: 'deny', Protocol: '6', PortRange: { From: 8000, To: 8000 }, CidrBlock: ctx.state.vpc.cidr },
        { RuleNumber: 100, Egress: true, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      ]);
      ctx.state.services.ui = await recreateService(ctx, SANDBOX_NAMES.services.ui, (input) => ({
        ...input,
        networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], securityGroups: [ctx.state.securityGroups.ovaledge], assignPublicIp: 'DISABLED' } },
      }));
    },
  },
];
