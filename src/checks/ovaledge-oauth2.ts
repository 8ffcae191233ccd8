import { looksLikePlaceholder } from '../inventory/redact.js';
import type { TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { error, fail, pass, warn } from '../engine/finding.js';
import { describeEntry, findEnv, tdName, unusable } from '../resolve/env.js';
import type { Check } from '../engine/check.js';

function isHttpsUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The OAuth2 block of runbook step 9 and what a well-formed value looks like. */
const BLOCK: { name: string; url?: string }[] = [
  { name: 'OAUTH2_BASE_URL', url: 'an https URL (the one the development team provides)' },
  { name: 'OAUTH2_CLIENTID' },
  { name: 'OAUTH2_CLIENT_REGISTRATION' },
  { name: 'OAUTH2_ROLE_ATTRIBUTE', url: 'a URL like https://<domain>/roles' },
  { name: 'OAUTH2_SECRET' },
];

function securityType(td: TaskDefinition): string | undefined {
  const e = findEnv(td, 'OVALEDGE_SECURITY_TYPE');
  return e?.source === 'environment' && !e.secret ? e.value : undefined;
}

function oauthProblems(td: TaskDefinition): Finding[] {
  const where = tdName(td);
  const problems: Finding[] = [];
  const type = securityType(td);
  if (type !== 'oauth2') {
    problems.push(fail(`Task definition ${where} sets OVALEDGE_SECURITY_TYPE=${type ?? '(not set)'} while the other OvalEdge task definition uses oauth2.`, { code: 'security-type-mismatch', resource: td.arn, expected: 'OVALEDGE_SECURITY_TYPE=oauth2', found: type ?? 'not set' }));
  }
  for (const { name, url } of BLOCK) {
    const e = findEnv(td, name);
    const expected = url ? `${name} set to ${url}` : `${name} set`;
    if (!e) {
      problems.push(fail(`Task definition ${where} uses OAuth2 but has no ${name}.`, { code: 'variable-missing', resource: td.arn, expected, found: 'not set' }));
      continue;
    }
    const bad = unusable(e, looksLikePlaceholder);
    if (bad) {
      problems.push(fail(`Task definition ${where} sets ${name} ${bad}.`, { code: 'variable-unusable', resource: td.arn, expected, found: describeEntry(e) }));
      continue;
    }
    if (url && e.source === 'environment' && !e.secret && !isHttpsUrl(e.value)) {
      problems.push(fail(`Task definition ${where} sets ${name}=${e.value}, which is not ${url}.`, { code: 'wrong-url', resource: td.arn, expected, found: e.value }));
      continue;
    }
    if (name === 'OAUTH2_SECRET' && e.source === 'environment') {
      problems.push(warn(`Task definition ${where} holds OAUTH2_SECRET in a plaintext environment variable, readable by anyone with ecs:DescribeTaskDefinition.`, { code: 'plaintext-secret', resource: td.arn, expected: 'OAUTH2_SECRET from secrets (Secrets Manager valueFrom)', found: 'plaintext environment variable' }));
    }
  }
  return problems;
}

const check: Check = {
  id: 'ovaledge-oauth2',
  title: 'OAuth2 block is complete and well formed on both UI and Job when OVALEDGE_SECURITY_TYPE=oauth2',
  step: 9,
  severity: 'high',
  remediation:
    'When OvalEdge uses OAuth2 (runbook step 9, optional OAUTH2 configuration), set OVALEDGE_SECURITY_TYPE=oauth2 and all of OAUTH2_BASE_URL (https URL from the development team), OAUTH2_CLIENTID, OAUTH2_CLIENT_REGISTRATION (e.g. auth0), OAUTH2_ROLE_ATTRIBUTE (https://<Domain_name>/roles with the real domain) and OAUTH2_SECRET (preferably as a secrets reference) on both the UI and Job task definitions, then deploy the latest revisions.',
  codes: ['security-type-mismatch', 'variable-missing', 'variable-unusable', 'wrong-url', 'plaintext-secret', 'no-active-revision'],
  permissions: ['ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const tds: TaskDefinition[] = [];
    const findings: Finding[] = [];
    for (const [role, family] of [['OvalEdge UI', cfg.taskDefinitions.ui], ['OvalEdge Job', cfg.taskDefinitions.job]] as const) {
      const td = await inv.taskDefinition(family);
      if (td) tds.push(td);
      else findings.push(error(`${role} task definition family ${family} has no ACTIVE revision; its OAuth2 settings cannot be read.`, { code: 'no-active-revision', resource: family, expected: 'an ACTIVE revision', found: 'none' }));
    }
    if (findings.length > 0) return findings;
    if (!tds.some((td) => securityType(td) === 'oauth2')) {
      const types = tds.map((td) => `${securityType(td) ?? 'not set'} on ${tdName(td)}`).join(' and ');
      return [pass(`OAuth2 not configured (OVALEDGE_SECURITY_TYPE is ${types}).`, { resource: tds[0]!.arn })];
    }
    for (const td of tds) {
      const problems = oauthProblems(td);
      findings.push(...(problems.length > 0 ? problems : [pass(`Task definition ${tdName(td)} uses OAuth2 with a complete, well-formed OAUTH2_* block.`, { resource: td.arn })]));
    }
    return findings;
  },
};

export default check;
