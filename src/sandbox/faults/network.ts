// Faults of runbook steps 0–1: identity, region, subnets and security groups.
import { CreateRouteCommand, DisassociateRouteTableCommand, ReplaceRouteTableAssociationCommand } from '@aws-sdk/client-ec2';
import { DeleteServiceCommand } from '@aws-sdk/client-ecs';
import { SANDBOX_NAMES } from '../provision.js';
import { authorizeIngress, recreateService, registerRevision, revokeIngress, withEnv, type Fault } from './support.js';

export const NETWORK_FAULTS: Fault[] = [
  {
    name: 'wrong-account',
    step: 0,
    description: 'The config expects account 999999999999, so the caller identity is in the wrong account.',
    expect: { 'caller-identity': 'fail' },
    async apply(ctx) {
      ctx.config.accountId = '999999999999';
    },
  },
  {
    name: 'region-mismatch',
    step: 0,
    description: 'The OvalEdge UI task definition sets EDGI_AWS_REGION to eu-west-1 while the deployment runs in another region.',
    // The UI's region then also disagrees with the deployment and with the Job (step 9).
    expect: { 'region-agreement': 'fail', 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail' },
    async apply(ctx) {
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.ui, (c) => withEnv(c, 'EDGI_AWS_REGION', 'eu-west-1'));
      // The service runs the new revision so that only the region disagrees, not the rollout.
      ctx.state.services.ui = await recreateService(ctx, SANDBOX_NAMES.services.ui, (input) => ({ ...input, taskDefinition: arn }));
      ctx.state.taskDefinitions.ui = arn;
    },
  },
  {
    name: 'insight-service-deleted',
    step: 1,
    description: 'The Edgi Insight ECS service was deleted, so its subnets and security group cannot be verified.',
    expect: {
      'insight-service-network': 'fail',
      // UI and Job must point at the service's discovery endpoint, which cannot be computed now.
      'ovaledge-edgi-env': 'error',
    },
    async apply(ctx) {
      await ctx.clients.ecs.send(
        new DeleteServiceCommand({ cluster: ctx.state.cluster.name, service: SANDBOX_NAMES.services.insight, force: true }),
      );
    },
  },
  {
    name: 'insight-public-subnet',
    step: 1,
    description: 'The first Insight subnet is associated with the public route table (0.0.0.0/0 to the internet gateway), so it is not private.',
    expect: { 'insight-subnets-private': 'fail' },
    async apply(ctx) {
      const out = await ctx.clients.ec2.send(
        new ReplaceRouteTableAssociationCommand({
          AssociationId: ctx.state.routeTables.insightAssociationIds[0],
          RouteTableId: ctx.state.routeTables.publicId,
        }),
      );
      if (out.NewAssociationId) ctx.state.routeTables.insightAssociationIds[0] = out.NewAssociationId;
    },
  },
  {
    name: 'insight-main-table-public',
    step: 1,
    description: "The second Insight subnet has no explicit route table and the VPC's main table routes 0.0.0.0/0 to the internet gateway.",
    expect: { 'insight-subnets-private': 'fail' },
    async apply(ctx) {
      const { ec2 } = ctx.clients;
      await ec2.send(new DisassociateRouteTableCommand({ AssociationId: ctx.state.routeTables.insightAssociationIds[1] }));
      await ec2.send(
        new CreateRouteCommand({
          RouteTableId: ctx.state.vpc.mainRouteTableId,
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: ctx.state.vpc.internetGatewayId,
        }),
      );
    },
  },
  {
    name: 'insight-single-subnet',
    step: 1,
    description: 'The Edgi Insight service runs in one subnet instead of the two private subnets the runbook asks for.',
    expect: { 'insight-subnets-private': 'fail' },
    async apply(ctx) {
      const subnet = ctx.state.subnets.insight[0];
      // SUBNETS on the task definition follows the service, so only the subnet count is wrong.
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => withEnv(c, 'SUBNETS', subnet));
      ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => {
        const vpc = input.networkConfiguration?.awsvpcConfiguration;
        if (!vpc) throw new Error('The Insight service has no awsvpc network configuration.');
        return { ...input, taskDefinition: arn, networkConfiguration: { awsvpcConfiguration: { ...vpc, subnets: [subnet] } } };
      });
      ctx.state.taskDefinitions.insight = arn;
    },
  },
  {
    name: 'edgi-sg-no-8000',
    step: 1,
    description: 'The Edgi security group lacks the inbound rule TCP 8000 from the VPC range (ECS service communication).',
    expect: { 'edgi-sg-ingress-vpc': 'fail', 'edgi-callers-reach-8000': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 8000, { cidr: ctx.state.vpc.cidr });
    },
  },
  {
    name: 'edgi-sg-no-9200',
    step: 1,
    description: 'The Edgi security group lacks the inbound rule TCP 9200 from the private Elasticsearch security group.',
    expect: { 'edgi-sg-ingress-elasticsearch': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 9200, { group: ctx.state.securityGroups.elasticsearch });
    },
  },
  {
    name: 'edgi-sg-no-3306',
    step: 1,
    description: 'The Edgi security group lacks the inbound rule TCP 3306 from the private RDS security group.',
    expect: { 'edgi-sg-ingress-rds': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 3306, { group: ctx.state.securityGroups.rds });
    },
  },
  {
    name: 'edgi-sg-no-efs',
    step: 1,
    description: 'The Edgi security group has no inbound rule from the private EFS security group.',
    expect: { 'edgi-sg-ingress-efs': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.edgi, 'tcp', 2049, { group: ctx.state.securityGroups.efs });
    },
  },
  {
    name: 'edgi-sg-efs-all-traffic',
    step: 1,
    description: "The Edgi security group allows All/All from the EFS security group, the runbook's literal rule, broader than TCP 2049.",
    expect: { 'edgi-sg-ingress-efs': 'warn' },
    async apply(ctx) {
      const { edgi, efs } = ctx.state.securityGroups;
      await revokeIngress(ctx, edgi, 'tcp', 2049, { group: efs });
      await authorizeIngress(ctx, edgi, {
        IpProtocol: '-1',
        UserIdGroupPairs: [{ GroupId: efs, Description: 'Allow EFS to ECS Edgi communication' }],
      });
    },
  },
  {
    name: 'edgi-sg-8000-from-anywhere',
    step: 1,
    description: 'The Edgi security group opens TCP 8000 to 0.0.0.0/0 instead of the VPC range.',
    expect: { 'edgi-sg-ingress-vpc': 'warn' },
    async apply(ctx) {
      const { edgi } = ctx.state.securityGroups;
      await revokeIngress(ctx, edgi, 'tcp', 8000, { cidr: ctx.state.vpc.cidr });
      await authorizeIngress(ctx, edgi, {
        IpProtocol: 'tcp',
        FromPort: 8000,
        ToPort: 8000,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'Allow ECS service communication' }],
      });
    },
  },
  {
    name: 'rds-sg-no-edgi',
    step: 1,
    description: 'The RDS security group does not allow TCP 3306 from the Edgi security group, so the Insight service cannot reach MySQL.',
    expect: { 'rds-sg-allows-edgi': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.rds, 'tcp', 3306, { group: ctx.state.securityGroups.edgi });
    },
  },
  {
    name: 'es-sg-no-edgi',
    step: 1,
    description: 'The Elasticsearch security group does not allow TCP 9200 from the Edgi security group.',
    expect: { 'elasticsearch-sg-allows-edgi': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.elasticsearch, 'tcp', 9200, { group: ctx.state.securityGroups.edgi });
    },
  },
  {
    name: 'efs-sg-no-nfs',
    step: 1,
    description: 'The EFS mount-target security group does not allow TCP 2049 (NFS) from the Edgi security group.',
    expect: { 'efs-mount-targets-allow-nfs': 'fail' },
    async apply(ctx) {
      await revokeIngress(ctx, ctx.state.securityGroups.efs, 'tcp', 2049, { group: ctx.state.securityGroups.edgi });
    },
  },
];
