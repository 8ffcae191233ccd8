// The operations table (docs/aws-operations.md) is generated from src/inventory/operations.ts;
// these tests keep the table, the live inventory's SDK calls and the checks' permissions in step.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IAM_PREFIX } from '../../src/aws/client-config.js';
import { CHECKS } from '../../src/checks/index.js';
import { runPolicy } from '../../src/iam-policy.js';
import { AWS_OPERATIONS, hiddenActions, renderOperationsDoc, withImpliedActions } from '../../src/inventory/operations.js';

const root = resolve(import.meta.dirname, '..', '..');
const source = (path: string) => readFileSync(resolve(root, path), 'utf8');

/** "prefix:Operation" of every SDK command and paginator a file uses through `this.call('<client>', …)` or `clients.get('<client>')`. */
function operationsCalled(text: string): Set<string> {
  const ops = new Set<string>();
  const re = /(?:this\.call|clients\.get)\('(\w+)'[\s\S]*?(?:new sdk\.(\w+)Command|sdk\.paginate(\w+))/g;
  for (const m of text.matchAll(re)) ops.add(`${IAM_PREFIX[m[1] as keyof typeof IAM_PREFIX]}:${m[2] ?? m[3]}`);
  return ops;
}

describe('AWS operations table', () => {
  it('docs/aws-operations.md is the generated table (regenerate: npx tsx scripts/aws-operations.ts)', () => {
    expect(source('docs/aws-operations.md')).toBe(renderOperationsDoc());
  });

  it('lists exactly the operations the live inventory and the database connection call', () => {
    const called = new Set([...operationsCalled(source('src/inventory/live.ts')), ...operationsCalled(source('src/inventory/db-connect.ts'))]);
    expect(called.size).toBeGreaterThan(25);
    expect([...called].sort()).toEqual(AWS_OPERATIONS.map((o) => o.operation).sort());
  });

  it('every AWS permission a check declares is an action of a listed operation', () => {
    const known = new Set(AWS_OPERATIONS.flatMap((o) => [...o.actions, ...(o.hidden ?? [])]));
    const prefixes = new Set(Object.values(IAM_PREFIX));
    for (const c of CHECKS) {
      for (const p of c.permissions.filter((x) => prefixes.has(x.split(':')[0] as never))) expect(known.has(p), `${c.id}: ${p}`).toBe(true);
    }
  });

  it('a check that declares an operation\'s action declares its hidden actions too', () => {
    const withHidden = AWS_OPERATIONS.filter((o) => o.hidden?.length);
    expect(withHidden.map((o) => o.operation)).toContain('elasticfilesystem:DescribeMountTargetSecurityGroups');
    for (const c of CHECKS) for (const p of c.permissions) for (const h of hiddenActions(p)) expect(c.permissions, `${c.id} declares ${p}`).toContain(h);
  });

  it('iam-policy grants the hidden and follow-up actions: the network-interface read and the prefix-list reads', () => {
    const actions = runPolicy(CHECKS).Statement[0]!.Action;
    for (const a of ['ec2:DescribeNetworkInterfaceAttribute', 'ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries']) expect(actions).toContain(a);
    expect(withImpliedActions(['ec2:DescribeSecurityGroups'])).toEqual(['ec2:DescribeManagedPrefixLists', 'ec2:DescribeSecurityGroups', 'ec2:GetManagedPrefixListEntries']);
  });
});
