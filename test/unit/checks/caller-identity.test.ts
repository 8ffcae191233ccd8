import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/caller-identity.js';
import { ACCOUNT, config, healthy, runOne } from '../../support/fixture-deployment.js';
import { errorsWhenDenied } from '../../support/common-cases.js';

describe('caller-identity', () => {
  it('passes when the caller is in the configured account', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain(`account ${ACCOUNT}, as configured`);
    expect(r.findings[0]!.resource).toBe(`arn:aws:iam::${ACCOUNT}:user/engineer`);
  });

  it('passes without an accountId in the config, naming the account it found', async () => {
    const r = await runOne(check, healthy(), config({ accountId: undefined }));
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain(`account ${ACCOUNT}.`);
    expect(r.findings[0]!.message).not.toContain('as configured');
  });

  it('fails when the caller is in another account, naming both accounts', async () => {
    const data = healthy();
    data.identity = { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/other', userId: 'AIDAOTHER' };
    const r = await runOne(check, data);
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain('arn:aws:iam::999999999999:user/other');
    expect(f.message).toContain(`not the configured account ${ACCOUNT}`);
    expect(f.expected).toBe(ACCOUNT);
    expect(f.found).toBe('999999999999');
    expect(f.resource).toBe('arn:aws:iam::999999999999:user/other');
  });

  errorsWhenDenied(check, 'sts:GetCallerIdentity');

  it('reports error (not pass) when there are no credentials', async () => {
    const data = healthy();
    delete data.identity;
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toContain('sts:GetCallerIdentity');
    expect(r.findings[0]!.message).toContain('no credentials');
  });
});
