import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/s3-bucket-cors.js';
import { type FixtureData } from '../../../src/inventory/fixture.js';
import type { CorsRule } from '../../../src/inventory/types.js';
import { BUCKET, config, healthy, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const RESOURCE = `arn:aws:s3:::${BUCKET}`;
const RUNBOOK_RULE = 'a rule with AllowedMethods ["PUT"] and AllowedHeaders ["*"]';

const rule = (r: Partial<CorsRule>): CorsRule => ({ allowedHeaders: ['*'], allowedMethods: ['PUT'], allowedOrigins: ['https://acme.example.com'], exposeHeaders: [], ...r });

function withCors(cors: CorsRule[] | undefined): FixtureData {
  const data = healthy();
  data.buckets![0]!.cors = cors;
  return data;
}

const smoke = { baseUrl: 'https://acme.ovaledge.net/ovaledge', username: 'env:ASKEDGI_ADMIN_USER', password: 'env:ASKEDGI_ADMIN_PASSWORD' };

describe('s3-bucket-cors', () => {
  it('passes for a PUT rule with headers "*" from a specific origin', async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('pass');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toBe(`S3 bucket ${BUCKET} has a CORS rule allowing PUT with AllowedHeaders "*" from https://acme.example.com.`);
    expect(r.findings[0]!.resource).toBe(RESOURCE);
  });

  it('fails when the bucket has no CORS configuration', async () => {
    const r = await runOne(check, withCors(undefined));
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`S3 bucket ${BUCKET} has no CORS configuration, so browser uploads (PUT) from OvalEdge are blocked.`);
    expect(f.resource).toBe(RESOURCE);
    expect(f.expected).toBe(RUNBOOK_RULE);
    expect(f.found).toBe('no CORS configuration');
  });

  it('fails when no rule allows PUT', async () => {
    const r = await runOne(check, withCors([rule({ allowedMethods: ['GET', 'HEAD'] })]));
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toContain(`S3 bucket ${BUCKET} has no CORS rule allowing PUT with AllowedHeaders "*"`);
    expect(f.expected).toBe(RUNBOOK_RULE);
    expect(f.found).toBe('methods ["GET","HEAD"], headers ["*"], origins ["https://acme.example.com"]');
  });

  it('fails when the PUT rule does not allow all headers', async () => {
    const r = await runOne(check, withCors([rule({ allowedHeaders: ['Content-Type'] })]));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.found).toContain('headers ["Content-Type"]');
  });

  it('fails when PUT and headers "*" are split across two rules', async () => {
    const r = await runOne(check, withCors([rule({ allowedHeaders: [] }), rule({ allowedMethods: ['GET'] })]));
    expect(r.status).toBe('fail');
  });

  it('warns on origin "*" and suggests the generic tenant origin when none is known', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['*'] })]));
    expect(r.status).toBe('warn');
    const f = r.findings[0]!;
    expect(f.message).toBe(`S3 bucket ${BUCKET} allows PUT from any origin ("*"); restrict AllowedOrigins to the tenant's OvalEdge origin.`);
    expect(f.expected).toBe("AllowedOrigins limited to the tenant's OvalEdge origin");
    expect(f.found).toBe('AllowedOrigins ["*"]');
  });

  it('warns on origin "*" and suggests expect.corsOrigin', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['*'] })]), config({ expect: { corsOrigin: 'https://acme.ovaledge.net' } }));
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('restrict AllowedOrigins to https://acme.ovaledge.net.');
    expect(r.findings[0]!.expected).toBe('AllowedOrigins ["https://acme.ovaledge.net"]');
  });

  it('warns on origin "*" and suggests the origin of smoke.baseUrl', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['*'] })]), config({ smoke }));
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('restrict AllowedOrigins to https://acme.ovaledge.net.');
  });

  it('passes when expect.corsOrigin is allowed by the PUT rule, also through a wildcard', async () => {
    const cfg = config({ expect: { corsOrigin: 'https://acme.ovaledge.net' } });
    expect((await runOne(check, withCors([rule({ allowedOrigins: ['https://acme.ovaledge.net'] })]), cfg)).status).toBe('pass');
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['https://*.ovaledge.net'] })]), cfg);
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('from https://acme.ovaledge.net.');
  });

  it('fails when the PUT rule does not allow expect.corsOrigin', async () => {
    const r = await runOne(check, healthy(), config({ expect: { corsOrigin: 'https://acme.ovaledge.net' } }));
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.message).toBe(`S3 bucket ${BUCKET} has no CORS rule allowing PUT from https://acme.ovaledge.net (expect.corsOrigin).`);
    expect(f.expected).toBe(`${RUNBOOK_RULE} and AllowedOrigins ["https://acme.ovaledge.net"]`);
    expect(f.found).toContain('origins ["https://acme.example.com"]');
  });

  it('fails when the PUT rule lists no origin', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: [] })]));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.message).toContain('AllowedOrigins is empty');
  });

  it('passes when a specific-origin rule sits beside a "*" rule', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['*'] }), rule({})]));
    expect(r.status).toBe('pass');
  });

  it.each([['https://*'], ['http://*'], ['HTTPS://*']])('warns on origin %s like "*": S3 lets its one wildcard stand for any host', async (wide) => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: [wide] })]));
    expect(r.status).toBe('warn');
    const f = r.findings[0]!;
    expect(f.code).toBe('s3-bucket-cors/any-origin');
    expect(f.message).toBe(`S3 bucket ${BUCKET} allows PUT from any origin (${JSON.stringify(wide)}); restrict AllowedOrigins to the tenant's OvalEdge origin.`);
    expect(f.found).toBe(`AllowedOrigins [${JSON.stringify(wide)}]`);
  });

  it('warns when a specific origin shares its rule with "https://*", naming only the wide one', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['https://acme.example.com', 'https://*'] })]), config({ smoke }));
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toBe(`S3 bucket ${BUCKET} allows PUT from any origin ("https://*"); restrict AllowedOrigins to https://acme.ovaledge.net.`);
    expect(r.findings[0]!.found).toBe('AllowedOrigins ["https://*"]');
  });

  it('still counts a wildcard inside the host as a specific origin', async () => {
    const r = await runOne(check, withCors([rule({ allowedOrigins: ['https://*.example.com'] })]));
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toContain('from https://*.example.com.');
  });

  it('fails when the PUT rule does not allow the origin of smoke.baseUrl (no expect.corsOrigin)', async () => {
    const r = await runOne(check, healthy(), config({ smoke }));
    expect(r.status).toBe('fail');
    const f = r.findings[0]!;
    expect(f.code).toBe('s3-bucket-cors/origin-not-allowed');
    expect(f.message).toBe(`S3 bucket ${BUCKET} has no CORS rule allowing PUT from https://acme.ovaledge.net (the origin of smoke.baseUrl).`);
    expect(f.expected).toBe(`${RUNBOOK_RULE} and AllowedOrigins ["https://acme.ovaledge.net"]`);
    expect(f.found).toBe('methods ["PUT"], headers ["*"], origins ["https://acme.example.com"]');
  });

  it('fails when only a rule without PUT allows the origin of smoke.baseUrl', async () => {
    const r = await runOne(check, withCors([rule({}), rule({ allowedMethods: ['GET'], allowedOrigins: ['https://acme.ovaledge.net'] })]), config({ smoke }));
    expect(r.status).toBe('fail');
    expect(r.findings[0]!.code).toBe('s3-bucket-cors/origin-not-allowed');
  });

  it('passes when the PUT rule allows the origin of smoke.baseUrl, port included, also through a wildcard', async () => {
    const cfg = config({ smoke });
    const exact = await runOne(check, withCors([rule({ allowedOrigins: ['https://ACME.ovaledge.net'] })]), cfg);
    expect(exact.status).toBe('pass');
    expect(exact.findings[0]!.message).toBe(`S3 bucket ${BUCKET} has a CORS rule allowing PUT with AllowedHeaders "*" from https://acme.ovaledge.net.`);
    expect((await runOne(check, withCors([rule({ allowedOrigins: ['https://*.ovaledge.net'] })]), cfg)).status).toBe('pass');
    const ported = config({ smoke: { ...smoke, baseUrl: 'http://127.0.0.1:8443/ovaledge' } });
    expect((await runOne(check, withCors([rule({ allowedOrigins: ['http://127.0.0.1:*'] })]), ported)).status).toBe('pass');
    expect((await runOne(check, withCors([rule({ allowedOrigins: ['http://127.0.0.1'] })]), ported)).status).toBe('fail');
  });

  it('enforces expect.corsOrigin over the origin of smoke.baseUrl', async () => {
    const cfg = config({ smoke, expect: { corsOrigin: 'https://acme.example.com' } });
    expect((await runOne(check, healthy(), cfg)).status).toBe('pass');
  });

  it('reads the bucket named by BUCKET_NAME on the Data task definition', async () => {
    const data = healthy();
    data.buckets!.push({ name: 'acme-other', cors: [rule({ allowedOrigins: ['*'] })] });
    setEnv(data, 'edgi-data-service', 'BUCKET_NAME', 'acme-other');
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain('S3 bucket acme-other allows PUT from any origin');
  });

  skipsWhenRootFails(check, ROOTS.bucketMissing);

  skipsWhenRootFails(check, ROOTS.dataFamilyMissing);

  errorsWhenDenied(check, 's3:ListBucket', { alone: true });
});
