// Runbook step 1: the VPC, its subnets and route tables, and the security groups.
import { AssociateRouteTableCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeRouteTablesCommand, ModifyVpcAttributeCommand, type IpPermission } from '@aws-sdk/client-ec2';
import { type AwsClients } from '../../aws/clients.js';
import { VPC_CIDR } from './names.js';
import { must, tags } from './support.js';

export async function provisionNetwork(clients: AwsClients, region: string) {
  const { ec2 } = clients;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: VPC_CIDR, TagSpecifications: tags('vpc', 'askedgi-sandbox') }));
  const vpcId = must(vpc.Vpc?.VpcId, 'VPC id');
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));

  const igw = await ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tags('internet-gateway', 'askedgi-sandbox') }));
  const internetGatewayId = must(igw.InternetGateway?.InternetGatewayId, 'internet gateway id');
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: internetGatewayId, VpcId: vpcId }));

  const main = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  const mainRouteTableId = must(main.RouteTables?.[0]?.RouteTableId, 'main route table id');

  const availabilityZones: [string, string] = [`${region}a`, `${region}b`];
  const subnet = async (cidr: string, az: string, name: string): Promise<string> => {
    const out = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az, TagSpecifications: tags('subnet', name) }),
    );
    return must(out.Subnet?.SubnetId, 'subnet id');
  };
  const insight: [string, string] = [
    await subnet('10.20.1.0/24', availabilityZones[0], 'askedgi-insight-private-a'),
    await subnet('10.20.2.0/24', availabilityZones[1], 'askedgi-insight-private-b'),
  ];
  const publicSubnet = await subnet('10.20.100.0/24', availabilityZones[0], 'askedgi-public-a');

  const privateRt = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tags('route-table', 'askedgi-private') }));
  const privateId = must(privateRt.RouteTable?.RouteTableId, 'private route table id');
  const publicRt = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: tags('route-table', 'askedgi-public') }));
  const publicId = must(publicRt.RouteTable?.RouteTableId, 'public route table id');
  await ec2.send(new CreateRouteCommand({ RouteTableId: publicId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: internetGatewayId }));

  const associate = async (routeTableId: string, subnetId: string): Promise<string> => {
    const out = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
    return must(out.AssociationId, 'route table association id');
  };
  const insightAssociationIds: [string, string] = [await associate(privateId, insight[0]), await associate(privateId, insight[1])];
  const publicAssociationId = await associate(publicId, publicSubnet);

  return {
    vpc: { id: vpcId, cidr: VPC_CIDR, internetGatewayId, mainRouteTableId },
    subnets: { insight, public: publicSubnet, availabilityZones },
    routeTables: { privateId, publicId, insightAssociationIds, publicAssociationId },
  };
}

export async function provisionSecurityGroups(clients: AwsClients, vpcId: string) {
  const { ec2 } = clients;
  const group = async (name: string, description: string): Promise<string> => {
    const out = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: description, TagSpecifications: tags('security-group', name) }),
    );
    return must(out.GroupId, 'security group id');
  };
  const sg = {
    edgi: await group('askedgi-edgi-insight', 'AskEdgi Insight ECS service'),
    elasticsearch: await group('askedgi-elasticsearch', 'Private Elasticsearch'),
    rds: await group('askedgi-rds', 'Private RDS MySQL'),
    efs: await group('askedgi-efs', 'Private EFS mount targets'),
    ovaledge: await group('askedgi-ovaledge', 'OvalEdge UI and Job ECS services'),
  };
  const tcpFromGroup = (port: number, groupId: string, description: string): IpPermission => ({
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    UserIdGroupPairs: [{ GroupId: groupId, Description: description }],
  });
  const ingress = (groupId: string, permissions: IpPermission[]) =>
    ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));

  await ingress(sg.edgi, [
    { IpProtocol: 'tcp', FromPort: 8000, ToPort: 8000, IpRanges: [{ CidrIp: VPC_CIDR, Description: 'Allow ECS service communication' }] },
    tcpFromGroup(9200, sg.elasticsearch, 'Allow Elasticsearch to ECS Edgi communication'),
    tcpFromGroup(3306, sg.rds, 'Allow RDS to ECS Edgi communication'),
    tcpFromGroup(2049, sg.efs, 'Allow EFS to ECS Edgi communication'),
  ]);
  await ingress(sg.rds, [
    tcpFromGroup(3306, sg.edgi, 'MySQL from the Edgi Insight service'),
    tcpFromGroup(3306, sg.ovaledge, 'MySQL from OvalEdge'),
  ]);
  await ingress(sg.elasticsearch, [tcpFromGroup(9200, sg.edgi, 'Elasticsearch from the Edgi Insight service')]);
  await ingress(sg.efs, [tcpFromGroup(2049, sg.edgi, 'NFS from the Edgi Insight service')]);
  return sg;
}
