// Unrelated resources in the sandbox's account (issue 13 item 3, "cost flat as unrelated resources
// grow"): what a busy real account holds besides the deployment, for `npm run bench` (2 000 and
// 10 000 of each) and for the regression test that such resources add no call and change no result.
//
// Security groups: half in the sandbox VPC (every tenth allows HTTPS from the Edgi group, as other
// applications' groups do), half spread over other VPCs. Task definitions: 40% in families whose
// names start with a deployment family's name (`<family>-old`, `<family>-v2`: what a prefix match
// would pick up), 60% in families of other names, each family with many revisions; every tenth
// revision deregistered (INACTIVE). No deployment family gets a revision (that would change what the
// doctor reads, not add noise).
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { DeregisterTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import pLimit from 'p-limit';
import type { AwsCredentials } from '../aws/client-config.js';
import { destroyClients, makeClients } from '../aws/clients.js';

export interface NoiseOptions {
  endpoint: string;
  region: string;
  /** The deployment's VPC and Edgi security group (half the groups go into this VPC). */
  vpcId: string;
  edgiSecurityGroup: string;
  /** The deployment's task definition families: the prefix-sharing families are named after them. */
  families: string[];
  /** Resource indices [from, to) of each kind: grow an account by calling again with the next range. */
  from: number;
  to: number;
  /** The other VPCs, from an earlier call; created (three) when absent. */
  otherVpcs?: string[];
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Credentials of the account to fill (an assumed role); absent: the default chain. */
  credentials?: AwsCredentials;
}

export interface NoiseResult {
  securityGroups: number;
  taskDefinitions: number;
  /** Task definitions in families that start with a deployment family's name. */
  prefixSharingTaskDefinitions: number;
  /** Security groups in the deployment's VPC. */
  securityGroupsInDeploymentVpc: number;
  otherVpcs: string[];
  requests: number;
  ms: number;
}

/** The suffixes of the families that share a deployment family's name as a prefix. */
export const PREFIX_SHARING_SUFFIXES = ['-old', '-v2'] as const;

/** Adds unrelated security groups and task definitions with indices [from, to) of each kind, in parallel. */
export async function addUnrelatedResources(opts: NoiseOptions): Promise<NoiseResult> {
  const t0 = performance.now();
  const aws = makeClients({ region: opts.region, endpoint: opts.endpoint, ...(opts.credentials ? { credentials: opts.credentials } : {}) });
  const limit = pLimit(opts.concurrency ?? 16);
  let requests = 0;
  const send = <T>(fn: () => Promise<T>) =>
    limit(() => {
      requests += 1;
      return fn();
    });
  try {
    const otherVpcs =
      opts.otherVpcs ??
      (await Promise.all(
        [0, 1, 2].map(async (k) => (await send(() => aws.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${120 + k}.0.0/16` })))).Vpc!.VpcId!),
      ));
    const shared = opts.families.flatMap((f) => PREFIX_SHARING_SUFFIXES.map((s) => `${f}${s}`));
    let inDeploymentVpc = 0;
    let prefixSharing = 0;
    const jobs: Promise<unknown>[] = [];
    for (let i = opts.from; i < opts.to; i += 1) {
      const mine = i % 2 === 0;
      if (mine) inDeploymentVpc += 1;
      const vpcId = mine ? opts.vpcId : otherVpcs[Math.floor(i / 2) % otherVpcs.length]!;
      jobs.push(
        send(() => aws.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `unrelated-${i}`, Description: `unrelated application ${i}` }))).then(async (g) => {
          if (mine && i % 10 === 0) {
            await send(() =>
              aws.ec2.send(
                new AuthorizeSecurityGroupIngressCommand({ GroupId: g.GroupId!, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: opts.edgiSecurityGroup }] }] }),
              ),
            );
          }
        }),
      );
    }
    // Revisions of one family are registered one after another (moto numbers a family's revisions
    // without a lock); the families themselves in parallel.
    const families = new Map<string, number[]>();
    for (let i = opts.from; i < opts.to; i += 1) {
      const sharing = i % 5 < 2;
      if (sharing) prefixSharing += 1;
      const family = sharing ? shared[i % shared.length]! : `unrelated-app-${Math.floor(i / 50)}`;
      families.set(family, [...(families.get(family) ?? []), i]);
    }
    for (const [family, indices] of families) {
      jobs.push(
        (async () => {
          for (const i of indices) {
            const r = await send(() =>
              aws.ecs.send(
                new RegisterTaskDefinitionCommand({
                  family,
                  requiresCompatibilities: ['FARGATE'],
                  networkMode: 'awsvpc',
                  cpu: '256',
                  memory: '512',
                  containerDefinitions: [
                    {
                      name: family,
                      image: `example/${family}:${i}`,
                      essential: true,
                      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
                      environment: [
                        { name: 'APP', value: family },
                        { name: 'BUILD', value: String(i) },
                        { name: 'LOG_LEVEL', value: 'info' },
                      ],
                      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}`, 'awslogs-region': opts.region, 'awslogs-stream-prefix': 'ecs' } },
                    },
                  ],
                }),
              ),
            );
            if (i % 10 === 0) await send(() => aws.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: r.taskDefinition!.taskDefinitionArn! })));
          }
        })(),
      );
    }
    await Promise.all(jobs);
    const n = opts.to - opts.from;
    return { securityGroups: n, taskDefinitions: n, prefixSharingTaskDefinitions: prefixSharing, securityGroupsInDeploymentVpc: inDeploymentVpc, otherVpcs, requests, ms: performance.now() - t0 };
  } finally {
    destroyClients(aws);
  }
}
