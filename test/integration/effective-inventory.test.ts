import {
  AssociateRouteTableCommand,
  CreateManagedPrefixListCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  AllocateAddressCommand,
  ReplaceNetworkAclAssociationCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { LiveInventory } from '../../src/inventory/live.js';
import { InventoryError } from '../../src/inventory/types.js';
import { ensureEmulatorCredentials, resetMoto } from '../../src/sandbox/emulator.js';
import { endpoint } from '../support/live.js';

// The getters behind effective permissions and network paths, read from a real moto server.
const region = 'us-east-1';
const doc = (Statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

describe('effective inventory getters against moto', () => {
  let inv: LiveInventory;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ensureEmulatorCredentials();
    const url = endpoint();
    await resetMoto(url);
    const iam = new IAMClient({ region, endpoint: url });
    const ec2 = new EC2Client({ region, endpoint: url });
    const v1 = await iam.send(new CreatePolicyCommand({ PolicyName: 'P', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]) }));
    ids.policy = v1.Policy!.Arn!;
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: ids.policy, SetAsDefault: true, PolicyDocument: doc([{ Sid: 'V2', Effect: 'Allow', Action: 'sqs:*', Resource: '*' }]) }));
    const cap = await iam.send(new CreatePolicyCommand({ PolicyName: 'Cap', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }]) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: trust }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'R', PolicyArn: ids.policy }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'R', PolicyName: 'Inline', PolicyDocument: doc({ Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' }) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'R', PermissionsBoundary: cap.Policy!.Arn! }));
    await iam.send(new CreateUserCommand({ UserName: 'U' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'G' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'G', UserName: 'U' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'G', PolicyArn: ids.policy }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'G', PolicyName: 'GI', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }]) }));

    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
    ids.vpc = vpc;
    ids.subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.9.1.0/24' }))).Subnet!.SubnetId!;
    ids.other = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.9.2.0/24' }))).Subnet!.SubnetId!;
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpc }))).NetworkAcl!.NetworkAclId!;
    ids.acl = acl;
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '10.9.0.0/16', PortRange: { From: 3306, To: 3306 } }));
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 90, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' }));
    const current = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [ids.subnet] }] }))).NetworkAcls![0]!;
    const assoc = current.Associations!.find((a) => a.SubnetId === ids.subnet)!.NetworkAclAssociationId!;
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
    const rt = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    ids.rt = rt;
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: ids.subnet }));
    ids.s3 = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: `com.amazonaws.${region}.s3`, VpcEndpointType: 'Gateway', RouteTableIds: [rt] }))).VpcEndpoint!.VpcEndpointId!;
    ids.logs = (
      await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc, ServiceName: `com.amazonaws.${region}.logs`, VpcEndpointType: 'Interface', SubnetIds: [ids.subnet], PrivateDnsEnabled: true }))
    ).VpcEndpoint!.VpcEndpointId!;
    const eip = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
    ids.nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: ids.other, AllocationId: eip }))).NatGateway!.NatGatewayId!;
    ids.pl = (
      await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: 'office', AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{ Cidr: '192.168.10.0/24' }, { Cidr: '10.9.1.0/24' }] }))
    ).PrefixList!.PrefixListId!;
    iam.destroy();
    ec2.destroy();
    inv = new LiveInventory({ region, endpoint: url });
  });

  it('reads a role\'s managed policy at its default version, its inline policy and its permissions boundary', async () => {
    const p = await inv.principalPolicies('role', 'R');
    expect(p?.arn).toBe('arn:aws:iam::123456789012:role/R');
    expect(p?.policies.map((x) => [x.origin, x.name, x.versionId])).toEqual([['managed', 'P', 'v2'], ['inline', 'Inline', undefined]]);
    expect(p?.policies[0]!.document).toEqual({ Version: '2012-10-17', Statement: [{ Sid: 'V2', Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] });
    expect(p?.policies[1]!.document).toEqual({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' } });
    expect(p?.boundary).toMatchObject({ origin: 'boundary', name: 'Cap', versionId: 'v1' });
    expect(await inv.principalPolicies('role', 'Missing')).toBeUndefined();
  });

  it('reads a user\'s group policies, managed and inline', async () => {
    const p = await inv.principalPolicies('user', 'U');
    expect(p?.policies.map((x) => [x.origin, x.name, x.group])).toEqual([['group-managed', 'P', 'G'], ['group-inline', 'GI', 'G']]);
    expect(p?.boundary).toBeUndefined();
  });

  it('iam:SimulatePrincipalPolicy is not implemented by moto: an InventoryError naming the action', async () => {
    const err = await inv.simulatePrincipalPolicy('arn:aws:iam::123456789012:role/R', ['s3:GetObject'], ['*']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).action).toBe('iam:SimulatePrincipalPolicy');
  });

  it('reads the subnet\'s network ACL with its entries, and the default ACL of a subnet without one', async () => {
    const acl = await inv.networkAclFor(ids.subnet!);
    expect(acl?.id).toBe(ids.acl);
    expect(acl?.isDefault).toBe(false);
    const custom = acl!.entries.filter((e) => e.ruleNumber !== 32767);
    expect(custom).toEqual(
      expect.arrayContaining([
        { ruleNumber: 100, egress: true, protocol: '6', action: 'allow', cidr: '10.9.0.0/16', ipv6Cidr: undefined, fromPort: 3306, toPort: 3306 },
        { ruleNumber: 90, egress: false, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0', ipv6Cidr: undefined, fromPort: undefined, toPort: undefined },
      ]),
    );
    const dflt = await inv.networkAclFor(ids.other!);
    expect(dflt?.isDefault).toBe(true);
  });

  it('reads VPC endpoints (gateway on route tables, interface with private DNS), NAT gateways and prefix lists', async () => {
    const eps = await inv.vpcEndpoints(ids.vpc!);
    const s3 = eps.find((e) => e.id === ids.s3);
    const logs = eps.find((e) => e.id === ids.logs);
    expect(s3).toMatchObject({ serviceName: 'com.amazonaws.us-east-1.s3', type: 'Gateway', routeTableIds: [ids.rt] });
    expect(logs).toMatchObject({ serviceName: 'com.amazonaws.us-east-1.logs', type: 'Interface', privateDnsEnabled: true, subnetIds: [ids.subnet] });
    const nats = await inv.natGateways(ids.vpc!);
    expect(nats.map((n) => [n.id, n.subnetId])).toEqual([[ids.nat, ids.other]]);
    expect(await inv.managedPrefixList(ids.pl!)).toEqual({ id: ids.pl, name: 'office', addressFamily: 'IPv4', cidrs: ['192.168.10.0/24', '10.9.1.0/24'] });
    expect(await inv.managedPrefixList('pl-00000000000000000')).toBeUndefined();
  });
});
