// Issue 11 B1: the values the doctor knows (database URL and password, admin password, the env:
// references it resolved, the secret values it read) are masked in every byte a real run writes:
// stdout, stderr, JSON, JUnit, HTML, screenshots' names. Each is planted in a log line, an
// environment value and an error message, in plain context no shape rule would catch.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { destroyClients, makeClients } from '../../src/aws/clients.js';
import { putLogLines } from '../../src/sandbox/app/state.js';
import { cli } from '../support/cli.js';
import { currentStack, endpoint, freshSandbox } from '../support/live.js';

const filesBelow = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesBelow(join(dir, n)) : [join(dir, n)]));

describe('known secrets are masked in every output of a real run', () => {
  it('canaries in a log line, an environment value and an error message never reach stdout, stderr, reports or file names', async () => {
    const dir = await freshSandbox();
    const stack = currentStack();
    const clients = makeClients({ region: 'us-east-1', endpoint: endpoint() });
    let canaries: Record<string, string>;
    try {
      const dbSecret = JSON.parse((await clients.secrets.send(new GetSecretValueCommand({ SecretId: stack.state.secrets.db.name }))).SecretString!) as { password: string };
      canaries = {
        adminPassword: stack.env.ASKEDGI_ADMIN_PASSWORD!,
        dbUrl: stack.env.ASKEDGI_DB_URL!,
        dbPassword: stack.database.password,
        dbSecretPassword: dbSecret.password,
      };
      const plain = Object.values(canaries).join(' | ');
      // (The URL is left out of the environment value: a credentialed URL makes the whole value a secret, redacted on entry.)
      const passwords = [canaries.adminPassword, canaries.dbPassword, canaries.dbSecretPassword].join(' | ');
      // 1. A log line of the Insight service (read by insight-log-errors), in plain words.
      await putLogLines(clients.logs, stack.state.logGroups.insight, [`${new Date().toISOString()} ERROR [edgi.echo] got ${plain} end`]);
      // 2. An environment value of the UI task definition, under a name that says nothing secret,
      //    in a variable a check compares and echoes (EDGI_CLIENT_PREFIX must equal SQS_QUEUE_PREFIX).
      const td = (await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'ovaledge-ui' }))).taskDefinition!;
      const input = {
        family: td.family!,
        containerDefinitions: td.containerDefinitions!.map((c) => ({ ...c, environment: (c.environment ?? []).map((e) => (e.name === 'EDGI_CLIENT_PREFIX' ? { ...e, value: `x ${passwords} x` } : e)) })),
        ...(td.cpu ? { cpu: td.cpu } : {}),
        ...(td.memory ? { memory: td.memory } : {}),
        ...(td.networkMode ? { networkMode: td.networkMode } : {}),
        ...(td.requiresCompatibilities ? { requiresCompatibilities: td.requiresCompatibilities } : {}),
        ...(td.taskRoleArn ? { taskRoleArn: td.taskRoleArn } : {}),
        ...(td.executionRoleArn ? { executionRoleArn: td.executionRoleArn } : {}),
        ...(td.volumes ? { volumes: td.volumes } : {}),
      } as RegisterTaskDefinitionCommandInput;
      await clients.ecs.send(new RegisterTaskDefinitionCommand(input));
    } finally {
      destroyClients(clients);
    }
    // 3. An error message and a finding: a plugin check that echoes them (as a careless one would).
    writeFileSync(join(dir, 'canaries.json'), JSON.stringify(canaries));
    writeFileSync(
      join(dir, 'echo-plugin.mjs'),
      `import { readFileSync } from 'node:fs';
const c = JSON.parse(readFileSync(new URL('./canaries.json', import.meta.url), 'utf8'));
const all = Object.values(c).join(' | ');
export default [
  { id: 'echo-finding', title: 'Echo.', step: 10, severity: 'low', remediation: 'None.', permissions: [], async run() { return [{ status: 'fail', message: 'saw ' + all + '.', expected: all, found: all, resource: all }]; } },
  { id: 'echo-crash', title: 'Crash.', step: 10, severity: 'low', remediation: 'None.', permissions: [], async run() { throw new Error('connect failed for ' + all); } },
];
`,
    );
    const file = join(dir, 'askedgi-doctor.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { checks?: { modules?: string[] } };
    config.checks = { ...config.checks, modules: [...(config.checks?.modules ?? []), './echo-plugin.mjs'] };
    writeFileSync(file, stringify(config));

    const out = mkdtempSync(join(tmpdir(), 'askedgi-canary-'));
    const r = await cli(['run', '-c', file, '-o', out, '--verbose']);
    expect(r.code, r.stderr).toBe(1);
    // The planted texts did reach the output, masked.
    expect(r.stdout).toMatch(/FAIL\s+echo-finding/);
    expect(r.stdout).toMatch(/saw <redacted> \| <redacted> \| <redacted> \| <redacted>\./);
    expect(r.stdout).toMatch(/connect failed for <redacted>/);
    expect(r.stdout).toMatch(/got <redacted> \| <redacted>/);
    expect(r.stdout).toMatch(/x <redacted> \| <redacted> \| <redacted> x/);
    const files = filesBelow(out);
    expect(files.map((f) => f.replace(out, '')).sort()).toEqual(expect.arrayContaining(['/askedgi-doctor.json', '/junit.xml', '/askedgi-doctor.html']));
    const everything = [r.stdout, r.stderr, ...files, ...files.filter((f) => !/\.(png|zip)$/.test(f)).map((f) => readFileSync(f, 'utf8'))].join('\n');
    for (const [what, value] of Object.entries(canaries)) {
      expect(everything.includes(value), `${what} leaked`).toBe(false);
      expect(everything.includes(encodeURIComponent(value)), `${what} (URL-encoded) leaked`).toBe(false);
    }
  });
});
