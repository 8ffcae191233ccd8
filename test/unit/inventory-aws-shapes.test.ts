// Issue 12 on the fixture inventory: the shapes real AWS answers with, as the inventory types them,
// reach the checks with the right meaning. The live mapping of each shape is tested against the
// fault proxy in test/integration/aws-real-shapes.test.ts.
import type { Service as SdkService } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import efsNfs from '../../src/checks/efs-mount-targets-allow-nfs.js';
import efsAzs from '../../src/checks/efs-mount-targets-in-insight-azs.js';
import insightLogErrors from '../../src/checks/insight-log-errors.js';
import insightRunning from '../../src/checks/insight-service-running.js';
import ovaledgeLatest from '../../src/checks/ovaledge-services-latest.js';
import s3Exists from '../../src/checks/s3-bucket-exists.js';
import subnetsPrivate from '../../src/checks/insight-subnets-private.js';
import workspaceCloudMap from '../../src/checks/workspace-cloud-map.js';
import rdsSg from '../../src/checks/rds-sg-allows-edgi.js';
import { classify, ecsClientExceptionKind, toInventoryError } from '../../src/inventory/errors.js';
import { mapService } from '../../src/inventory/live.js';
import { caseVariants, logFilterPatterns, quoteTerm } from '../../src/inventory/log-patterns.js';
import { InventoryError } from '../../src/inventory/types.js';
import { BUCKET, CM, IDS, healthy, runOne, sg, tcp } from '../support/fixture-deployment.js';

const sdkError = (name: string, status: number, message = '', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts: 1 }, ...extra });

describe('12.1 mount targets (fixture)', () => {
  it('a target that is creating is an error for that target only; the other still passes', async () => {
    const data = healthy();
    data.mountTargets![IDS.fs]![1]!.lifeCycleState = 'creating';
    const r = await runOne(efsNfs, data);
    expect(r.findings.map((f) => [f.resource, f.status])).toEqual([
      ['fsmt-a', 'pass'],
      ['fsmt-b', 'error'],
    ]);
    expect(r.findings[1]!.message).toBe(`Security groups of EFS mount target fsmt-b (${IDS.subnetB}) cannot be read: mount target fsmt-b is creating, not available.`);
  });

  it('IncorrectMountTargetState while reading one target does not fail the list', async () => {
    const data = healthy();
    data.mountTargetSecurityGroupsUnreadable = { 'fsmt-a': 'mount target fsmt-a is changing state (IncorrectMountTargetState)' };
    const r = await runOne(efsNfs, data);
    expect(r.findings.map((f) => f.status)).toEqual(['error', 'pass']);
    expect(r.findings[0]!.message).toContain('IncorrectMountTargetState');
  });

  it('declares ec2:DescribeNetworkInterfaceAttribute, which DescribeMountTargetSecurityGroups needs; the AZ check reads no security groups', async () => {
    expect(efsNfs.permissions).toContain('ec2:DescribeNetworkInterfaceAttribute');
    expect(efsAzs.permissions).not.toContain('elasticfilesystem:DescribeMountTargetSecurityGroups');
    const data = healthy();
    data.denied = ['elasticfilesystem:DescribeMountTargetSecurityGroups'];
    expect((await runOne(efsAzs, data)).status).toBe('pass');
  });
});

describe('12.2 S3 bucket in another region (fixture)', () => {
  it('fails naming the bucket\'s region when it is not the deployment\'s', async () => {
    const data = healthy();
    data.buckets![0]!.region = 'eu-west-1';
    const r = await runOne(s3Exists, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain(`S3 bucket ${BUCKET}`);
    expect(r.findings[0]!.message).toContain('is in region eu-west-1, not the deployment\'s region us-east-1.');
    expect(r.findings[0]!.found).toBe('eu-west-1');
  });
});

describe('12.3 credential errors before the generic 403 rule', () => {
  it.each([
    ['InvalidClientTokenId', 403],
    ['SignatureDoesNotMatch', 403],
    ['InvalidAccessKeyId', 403],
    ['AuthFailure', 401],
    ['ExpiredToken', 400],
    ['ExpiredTokenException', 400],
    ['UnrecognizedClientException', 400],
  ])('%s (HTTP %i) is credentials, and the message names no missing permission', (name, status) => {
    expect(classify(sdkError(name, status)).kind).toBe('credentials');
    const e = toInventoryError(sdkError(name, status, 'The security token included in the request is invalid.'), 'sts:GetCallerIdentity', 'the caller identity');
    expect(e.kind).toBe('credentials');
    expect(e.message).not.toMatch(/lacks permission/);
    expect(e.message).toContain('AWS rejected the credentials');
    expect(e.expected).toBeUndefined();
  });

  it('a plain 403 is still access denied, naming the action AWS names when it names one', () => {
    const e = toInventoryError(sdkError('AccessDeniedException', 403, 'User: arn:aws:iam::1:user/d is not authorized to perform: ec2:DescribeNetworkInterfaceAttribute on resource: *'), 'elasticfilesystem:DescribeMountTargetSecurityGroups', 'mt');
    expect(e.kind).toBe('access-denied');
    expect(e.action).toBe('ec2:DescribeNetworkInterfaceAttribute');
    expect(e.expected).toBe('permission ec2:DescribeNetworkInterfaceAttribute');
  });
});

describe('12.4 Secrets Manager decryption (classification)', () => {
  it('DecryptionFailure is access denied naming kms:Decrypt', () => {
    const e = toInventoryError(sdkError('DecryptionFailure', 400, 'Secrets Manager can\'t decrypt the protected secret text using the provided KMS key.'), 'secretsmanager:GetSecretValue', 'secret x');
    expect(e.kind).toBe('access-denied');
    expect(e.action).toBe('kms:Decrypt');
  });
});

describe('12.5 CloudWatch Logs filter patterns', () => {
  it('quotes every term (so non-alphanumeric terms and a leading "-" match literally)', () => {
    expect(quoteTerm('java.lang.OutOfMemoryError')).toBe('"java.lang.OutOfMemoryError"');
    expect(quoteTerm('-1')).toBe('"-1"');
    expect(quoteTerm('say "hi"')).toBe('"say \\"hi\\""');
  });

  it('covers ERROR, Error and error for each term; one ?"A" ?"B" pattern on AWS, one term per pattern for moto', () => {
    expect(caseVariants('ERROR')).toEqual(['ERROR', 'error', 'Error']);
    expect(caseVariants('Exception')).toEqual(['Exception', 'EXCEPTION', 'exception']);
    expect(logFilterPatterns(['ERROR', 'Traceback'], true)).toEqual(['?"ERROR" ?"error" ?"Error" ?"Traceback" ?"TRACEBACK" ?"traceback"']);
    expect(logFilterPatterns(['ERROR'], false)).toEqual(['"ERROR"', '"error"', '"Error"']);
  });

  it('splits a pattern that would exceed AWS\'s 1 024 characters', () => {
    const terms = Array.from({ length: 60 }, (_, i) => `Term${i}Word`);
    const patterns = logFilterPatterns(terms, true);
    expect(patterns.length).toBeGreaterThan(1);
    for (const p of patterns) expect(p.length).toBeLessThanOrEqual(1024);
    expect(patterns.join(' ').match(/\?"/g)!.length).toBe(terms.flatMap(caseVariants).length);
  });

  it('counts a line with "Error" (fixture)', async () => {
    const data = healthy();
    data.logEvents!['/ecs/oe_edgi_insights_service']!.push('Error: workspace bootstrap failed');
    const r = await runOne(insightLogErrors, data);
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toContain('Error: workspace bootstrap failed');
  });
});

describe('12.7 ECS', () => {
  it.each([
    ['Unable to describe task definition.', 'not-found'],
    ['User: arn:aws:iam::1:user/x is not authorized to perform: ecs:DescribeTaskDefinition', 'access-denied'],
    ['Invalid identifier: Unexpected key \'x\' found in params', 'invalid'],
  ] as const)('ClientException "%s" is %s', (message, kind) => {
    expect(ecsClientExceptionKind(message)).toBe(kind);
  });

  it('a ClientException that is not "not found" is never undefined: it is an error naming the action', () => {
    const e = toInventoryError(sdkError('ClientException', 400, 'User: u is not authorized to perform: ecs:DescribeTaskDefinition on resource: *'), 'ecs:DescribeTaskDefinition', 'td');
    expect(e.kind).toBe('access-denied');
  });

  const codeDeploy = (primaryTd: string, stability: string): SdkService => ({
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/acme/ovaledge-ui',
    serviceName: 'ovaledge-ui',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/acme',
    status: 'ACTIVE',
    taskDefinition: primaryTd,
    desiredCount: 1,
    runningCount: 1,
    deploymentController: { type: 'CODE_DEPLOY' },
    deployments: [],
    taskSets: [
      { id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: primaryTd.replace(/:\d+$/, ':0'), computedDesiredCount: 0, runningCount: 0, stabilityStatus: 'STEADY_STATE' },
      { id: 'ecs-svc/new', status: 'PRIMARY', taskDefinition: primaryTd, computedDesiredCount: 1, runningCount: 1, stabilityStatus: stability as 'STEADY_STATE' },
    ],
    networkConfiguration: { awsvpcConfiguration: { subnets: [IDS.subnetA, IDS.subnetB], securityGroups: ['sg-ovaledge'] } },
  });

  it('a CODE_DEPLOY service is judged by its PRIMARY task set (fixture, SDK-shaped service)', async () => {
    const data = healthy();
    const ui = data.services!.findIndex((s) => s.name === 'ovaledge-ui');
    const td = data.services![ui]!.taskDefinition;
    data.services![ui] = mapService(codeDeploy(td, 'STEADY_STATE'), 'ovaledge-ui');
    expect(data.services![ui]!.deployments[0]).toMatchObject({ status: 'PRIMARY', id: 'ecs-svc/new', rolloutState: 'COMPLETED' });
    expect((await runOne(ovaledgeLatest, data)).status).toBe('pass');
    expect(mapService(codeDeploy(td, 'STABILIZING'), 'ovaledge-ui').deployments[0]!.rolloutState).toBe('IN_PROGRESS');
    // The PRIMARY task set on an older revision than the service's: the check sees it.
    const behind = codeDeploy(td, 'STEADY_STATE');
    behind.taskSets![1]!.taskDefinition = td.replace(/:\d+$/, ':0');
    data.services![ui] = mapService(behind, 'ovaledge-ui');
    expect((await runOne(ovaledgeLatest, data)).status).toBe('fail');
  });

  it('an EXTERNAL Insight service with its PRIMARY task set running is running (fixture, SDK-shaped service)', async () => {
    const data = healthy();
    const i = data.services!.findIndex((s) => s.name === 'oe-edgi-insights-service');
    const current = data.services![i]!;
    const sdk = { ...codeDeploy(current.taskDefinition, 'STEADY_STATE'), serviceName: current.name, serviceArn: current.arn, taskDefinition: undefined, deploymentController: { type: 'EXTERNAL' as const } };
    sdk.networkConfiguration = { awsvpcConfiguration: { subnets: current.subnets, securityGroups: current.securityGroups } };
    sdk.serviceRegistries = current.serviceRegistries.map((r) => ({ registryArn: r.registryArn }));
    data.services![i] = mapService(sdk, current.name);
    expect(data.services![i]!.taskDefinition).toBe(current.taskDefinition);
    expect((await runOne(insightRunning, data)).status).toBe('pass');
  });
});

describe('12.8 Cloud Map: one instance per running task (fixture)', () => {
  it('two instances of the user\'s data service (rolling deploy, two tasks) pass without a warning', async () => {
    const data = healthy();
    data.cloudMapInstances![CM.data] = [
      { id: 'task-1', attributes: { AWS_INSTANCE_IPV4: '10.20.1.50', ECS_SERVICE_NAME: 'edgi-data-service-admin', ECS_TASK_DEFINITION_FAMILY: 'edgi-data-service' } },
      { id: 'task-2', attributes: { AWS_INSTANCE_IPV4: '10.20.1.51', ECS_SERVICE_NAME: 'edgi-data-service-admin', ECS_TASK_DEFINITION_FAMILY: 'edgi-data-service' } },
    ];
    const r = await runOne(workspaceCloudMap, data);
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain('instances task-1 (10.20.1.50), task-2 (10.20.1.51)');
  });
});

describe('12.9 security-group rules and routes (fixture)', () => {
  it('an IPv6 ::/0 rule admits no IPv4 traffic: the RDS rule is missing, not "broader"', async () => {
    const data = healthy();
    sg(data, IDS.rdsSg).ingress = [{ ...tcp(3306, {}), ipv6Cidrs: ['::/0'] }];
    const r = await runOne(rdsSg, data);
    expect(r.status).toBe('fail');
  });

  it('a prefix-list rule is resolved: a list holding the VPC range admits the Edgi tasks', async () => {
    const data = healthy();
    sg(data, IDS.rdsSg).ingress = [{ ...tcp(3306, {}), prefixListIds: ['pl-0vpc'] }];
    data.managedPrefixLists = [{ id: 'pl-0vpc', name: 'vpc', addressFamily: 'IPv4', cidrs: ['10.20.0.0/16'] }];
    const r = await runOne(rdsSg, data);
    expect(['pass', 'warn']).toContain(r.status);
    data.managedPrefixLists = [{ id: 'pl-0vpc', name: 'elsewhere', addressFamily: 'IPv4', cidrs: ['192.168.0.0/16'] }];
    expect((await runOne(rdsSg, data)).status).toBe('fail');
  });

  it('a prefix-list rule that cannot be read is unverifiable: error naming the action, never a pass or a silent fail', async () => {
    const data = healthy();
    sg(data, IDS.rdsSg).ingress = [{ ...tcp(3306, {}), prefixListIds: ['pl-0vpc'] }];
    data.managedPrefixLists = [{ id: 'pl-0vpc', name: 'vpc', addressFamily: 'IPv4', cidrs: ['10.20.0.0/16'] }];
    data.denied = ['ec2:DescribeManagedPrefixLists'];
    const r = await runOne(rdsSg, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('ec2:DescribeManagedPrefixLists');
    expect(r.findings[0]!.message).toContain('pl-0vpc');
  });

  it('a blackhole default route to an internet gateway routes nothing: the subnet stays private', async () => {
    const data = healthy();
    data.routeTables!.find((t) => t.id === 'rtb-private')!.routes.push({ destinationCidr: '0.0.0.0/0', gatewayId: IDS.igw, state: 'blackhole' });
    expect((await runOne(subnetsPrivate, data)).status).toBe('pass');
    data.routeTables!.find((t) => t.id === 'rtb-private')!.routes.at(-1)!.state = 'active';
    expect((await runOne(subnetsPrivate, data)).status).toBe('fail');
  });
});

describe('11 A2 timeouts (classification)', () => {
  it('a TimeoutError is a timeout naming the operation and the limit, not a permission', () => {
    const e = toInventoryError(sdkError('TimeoutError', 0, 'a request has exceeded the configured 10000 ms requestTimeout.', { $metadata: { attempts: 5 } }), 'ecs:DescribeServices', 'ECS service x', { requestMs: 10_000, connectMs: 3_000 });
    expect(e).toBeInstanceOf(InventoryError);
    expect(e.kind).toBe('timeout');
    expect(e.message).toBe('ecs:DescribeServices timed out after 10 s (no answer; 5 attempts) reading ECS service x.');
    expect(e.expected).toBeUndefined();
  });
});
