import {
  AuthorizeSecurityGroupEgressCommand,
  CreateManagedPrefixListCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import edgiEgressPaths from '../../src/checks/edgi-egress-paths.js';
import edgiUser from '../../src/checks/edgi-user-effective-permissions.js';
import taskRole from '../../src/checks/task-role-effective-permissions.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import edgiCallers from '../../src/checks/edgi-callers-reach-8000.js';
import executionRole from '../../src/checks/execution-role-effective-permissions.js';
import wayOut from '../../src/checks/insight-subnets-way-out.js';
import { breakSandbox, readSandboxState, sandboxUp } from '../../src/sandbox/faults/index.js';
import { endpoint, freshSandbox, runAll } from '../support/live.js';

// Correct deployments shaped differently from the sandbox still pass the effective checks
// (issue 10, point 4): policies reaching a principal through a group or inline rather than
// attached by name, and egress rules that reference a managed prefix list.
describe('effective checks on correct deployments of other shapes (moto)', () => {
  const clients = (region: string) => ({ iam: new IAMClient({ region, endpoint: endpoint() }), ec2: new EC2Client({ region, endpoint: endpoint() }) });

  it('the Edgi user\'s policy through an IAM group, and the task role\'s policy inline', async () => {
    const dir = await freshSandbox();
    // The sandbox variant does it (src/sandbox/faults/variants.ts); the fault matrix runs it against every check.
    await breakSandbox('shape-policies-via-group-and-inline', { endpoint: endpoint(), outDir: dir });
    const { results } = await runAll(dir, [edgiUser, taskRole]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['edgi-user-effective-permissions', 'pass'],
      ['task-role-effective-permissions', 'pass'],
    ]);
    expect(results[0]!.findings[0]!.message).toContain('of managed policy AskEdgi_policy_Saas (v1) of group askedgi-users.');
    expect(results[1]!.findings[0]!.message).toContain('of inline policy AskEdgi_ECS_Policy.');
  });

  it('Edgi egress through a managed prefix list of the VPC range, HTTPS to anywhere', async () => {
    const dir = await freshSandbox();
    const state = await readSandboxState(dir);
    const { iam, ec2 } = clients(state.region);
    const pl = await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: 'askedgi-vpc', AddressFamily: 'IPv4', MaxEntries: 2, Entries: [{ Cidr: state.vpc.cidr }] }));
    const GroupId = state.securityGroups.edgi;
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId,
        IpPermissions: [
          ...[3306, 9200, 2049].map((p) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, PrefixListIds: [{ PrefixListId: pl.PrefixList!.PrefixListId! }] })),
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    iam.destroy();
    ec2.destroy();
    const { results } = await runAll(dir, [edgiEgressPaths]);
    expect(results[0]!.findings.map((f) => f.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('the sandbox provisioned in a second region (eu-west-1) passes every effective check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'askedgi-eu-'));
    await sandboxUp({ endpoint: endpoint(), outDir: dir, region: 'eu-west-1' });
    const checks = [edgiUser, taskRole, executionRole, wayOut, edgiEgressPaths, edgiCallers];
    const { results } = await runAll(dir, checks);
    expect(Object.fromEntries(results.map((r) => [r.id, r.status]))).toEqual(Object.fromEntries(checks.map((c) => [c.id, 'pass'])));
    expect(results.find((r) => r.id === 'task-role-effective-permissions')!.findings[0]!.message).toMatch(/^IAM role AskEdgiEcsTaskRole may perform all \d+ required/);
  });
});
