import type { Config } from '../config/schema.js';
import type { CorsRule } from '../inventory/types.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { need } from '../resolve/core.js';
import { DATA_BUCKET } from '../resolve/deployment.js';
import type { Check } from '../engine/check.js';

const RUNBOOK_RULE = 'a rule with AllowedMethods ["PUT"] and AllowedHeaders ["*"]';

/**
 * The tenant origin the PUT rule must allow: expect.corsOrigin, else the origin (scheme://host[:port])
 * of smoke.baseUrl; `source` names where it came from. undefined: neither is set.
 */
function tenantOrigin(cfg: Config): { origin: string; source: string } | undefined {
  if (cfg.expect.corsOrigin) return { origin: cfg.expect.corsOrigin, source: 'expect.corsOrigin' };
  if (!cfg.smoke?.baseUrl) return undefined;
  try {
    return { origin: new URL(cfg.smoke.baseUrl).origin, source: 'the origin of smoke.baseUrl' };
  } catch {
    return undefined;
  }
}

/** S3 allows one "*" wildcard inside an origin, e.g. https://*.example.com. */
function originAllows(pattern: string, origin: string): boolean {
  if (pattern === '*') return true;
  const [head, ...tail] = pattern.split('*');
  if (tail.length === 0) return pattern.toLowerCase() === origin.toLowerCase();
  const rest = tail.join('*');
  const o = origin.toLowerCase();
  return o.length >= head!.length + rest.length && o.startsWith(head!.toLowerCase()) && o.endsWith(rest.toLowerCase());
}

/**
 * An AllowedOrigin that admits every origin, or every origin of a scheme: "*", "https://*" — the
 * wildcard stands for the whole host (and port), nothing after it narrows the match.
 */
const anyOrigin = (pattern: string): boolean => {
  const star = pattern.indexOf('*');
  return star >= 0 && star === pattern.length - 1 && /^[^:/]*(:\/{0,2})?$/.test(pattern.slice(0, star));
};

const originsText = (origin: string | undefined) => (origin ? `AllowedOrigins [${JSON.stringify(origin)}]` : "AllowedOrigins limited to the tenant's OvalEdge origin");

const describeRule = (r: CorsRule) =>
  `methods ${JSON.stringify(r.allowedMethods)}, headers ${JSON.stringify(r.allowedHeaders)}, origins ${JSON.stringify(r.allowedOrigins)}`;

const check: Check = {
  id: 's3-bucket-cors',
  title: 'The Edgi bucket has a CORS rule allowing PUT with AllowedHeaders "*" from the tenant origin',
  step: 3,
  severity: 'high',
  remediation:
    'In the bucket\'s CORS permissions (runbook step 3) add a rule with AllowedHeaders ["*"] and AllowedMethods ["PUT"]. Prefer the tenant\'s OvalEdge origin over the runbook\'s AllowedOrigins ["*"], and set expect.corsOrigin (else the origin of smoke.baseUrl is used) so the doctor verifies it.',
  codes: ['bucket-not-found', 'no-cors', 'no-put-rule', 'origin-not-allowed', 'any-origin'],
  permissions: ['ecs:DescribeTaskDefinition', 's3:ListBucket', 's3:GetBucketCORS'],
  async run(inv, cfg) {
    const { name } = await need(inv, cfg, DATA_BUCKET);
    const resource = `arn:aws:s3:::${name}`;
    const bucket = await inv.bucket(name);
    if (!bucket) return [error(`S3 bucket ${name} not found; cannot read its CORS configuration.`, { code: 'bucket-not-found', resource, expected: 'an existing bucket', found: 'none' })];
    if (!bucket.cors || bucket.cors.length === 0) {
      return [fail(`S3 bucket ${name} has no CORS configuration, so browser uploads (PUT) from OvalEdge are blocked.`, { code: 'no-cors', resource, expected: RUNBOOK_RULE, found: 'no CORS configuration' })];
    }
    const found = bucket.cors.map(describeRule).join('; ');
    const upload = bucket.cors.filter((r) => r.allowedMethods.some((m) => m.toUpperCase() === 'PUT') && r.allowedHeaders.includes('*'));
    if (upload.length === 0) {
      return [fail(`S3 bucket ${name} has no CORS rule allowing PUT with AllowedHeaders "*", so browser uploads from OvalEdge fail the preflight.`, { code: 'no-put-rule', resource, expected: RUNBOOK_RULE, found })];
    }
    const tenant = tenantOrigin(cfg);
    // The tenant origin, when known, must be allowed; else any listed origin will do.
    const matching = tenant ? upload.filter((r) => r.allowedOrigins.some((o) => originAllows(o, tenant.origin))) : upload.filter((r) => r.allowedOrigins.length > 0);
    if (matching.length === 0) {
      return [
        fail(`S3 bucket ${name} has no CORS rule allowing PUT ${tenant ? `from ${tenant.origin} (${tenant.source})` : 'from any listed origin (AllowedOrigins is empty)'}.`, {
          code: 'origin-not-allowed',
          resource,
          expected: `${RUNBOOK_RULE} and ${originsText(tenant?.origin)}`,
          found,
        }),
      ];
    }
    const specific = matching.find((r) => !r.allowedOrigins.some(anyOrigin));
    if (specific) {
      const origins = tenant?.origin ?? specific.allowedOrigins.join(', ');
      return [pass(`S3 bucket ${name} has a CORS rule allowing PUT with AllowedHeaders "*" from ${origins}.`, { resource })];
    }
    const wide = [...new Set(matching.flatMap((r) => r.allowedOrigins.filter(anyOrigin)))];
    const instead = tenant?.origin ?? "the tenant's OvalEdge origin";
    return [
      warn(`S3 bucket ${name} allows PUT from any origin (${wide.map((o) => JSON.stringify(o)).join(', ')}); restrict AllowedOrigins to ${instead}.`, {
        code: 'any-origin',
        resource,
        expected: originsText(tenant?.origin),
        found: `AllowedOrigins ${JSON.stringify(wide)}`,
      }),
    ];
  },
};

export default check;
