import type { Config } from '../config/schema.js';
import type { CorsRule } from '../inventory/types.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { need } from '../resolve/core.js';
import { DATA_BUCKET } from '../resolve/deployment.js';
import type { Check } from '../engine/check.js';

const RUNBOOK_RULE = 'a rule with AllowedMethods ["PUT"] and AllowedHeaders ["*"]';

/** The origin to recommend instead of "*": the configured one, else the smoke test's base URL origin. */
function tenantOrigin(cfg: Config): string | undefined {
  if (cfg.expect.corsOrigin) return cfg.expect.corsOrigin;
  if (!cfg.smoke?.baseUrl) return undefined;
  try {
    return new URL(cfg.smoke.baseUrl).origin;
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

const originsText = (origin: string | undefined) => (origin ? `AllowedOrigins [${JSON.stringify(origin)}]` : "AllowedOrigins limited to the tenant's OvalEdge origin");

const describeRule = (r: CorsRule) =>
  `methods ${JSON.stringify(r.allowedMethods)}, headers ${JSON.stringify(r.allowedHeaders)}, origins ${JSON.stringify(r.allowedOrigins)}`;

const check: Check = {
  id: 's3-bucket-cors',
  title: 'The Edgi bucket has a CORS rule allowing PUT with AllowedHeaders "*" from the tenant origin',
  step: 3,
  severity: 'high',
  remediation:
    'In the bucket\'s CORS permissions (runbook step 3) add a rule with AllowedHeaders ["*"] and AllowedMethods ["PUT"]. Prefer the tenant\'s OvalEdge origin over the runbook\'s AllowedOrigins ["*"], and set expect.corsOrigin so the doctor verifies it.',
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
    const origin = tenantOrigin(cfg);
    const configured = cfg.expect.corsOrigin;
    // Only an explicitly configured origin is enforced; the smoke URL serves as the suggestion.
    const matching = configured ? upload.filter((r) => r.allowedOrigins.some((o) => originAllows(o, configured))) : upload.filter((r) => r.allowedOrigins.length > 0);
    if (matching.length === 0) {
      return [
        fail(`S3 bucket ${name} has no CORS rule allowing PUT ${configured ? `from ${configured} (expect.corsOrigin)` : 'from any listed origin (AllowedOrigins is empty)'}.`, {
          code: 'origin-not-allowed',
          resource,
          expected: `${RUNBOOK_RULE} and ${originsText(configured ?? origin)}`,
          found,
        }),
      ];
    }
    const specific = matching.find((r) => !r.allowedOrigins.includes('*'));
    if (specific) {
      const origins = configured ?? specific.allowedOrigins.join(', ');
      return [pass(`S3 bucket ${name} has a CORS rule allowing PUT with AllowedHeaders "*" from ${origins}.`, { resource })];
    }
    const instead = origin ?? "the tenant's OvalEdge origin";
    return [
      warn(`S3 bucket ${name} allows PUT from any origin ("*"); restrict AllowedOrigins to ${instead}.`, {
        code: 'any-origin',
        resource,
        expected: originsText(origin),
        found: 'AllowedOrigins ["*"]',
      }),
    ];
  },
};

export default check;
