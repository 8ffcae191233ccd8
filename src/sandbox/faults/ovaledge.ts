// Faults of runbook step 8–9 (Insight service, service discovery, UI and Job task definitions) and placeholders.
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DeleteSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { SANDBOX_NAMES } from '../provision.js';
import { recreateService, registerRevision, withEnv, type Fault, type FaultContext } from './support.js';

function withoutEnv(container: ContainerDefinition, name: string): ContainerDefinition {
  return { ...container, environment: (container.environment ?? []).filter((kv) => kv.name !== name) };
}

function addEnv(container: ContainerDefinition, vars: Record<string, string>): ContainerDefinition {
  const kept = (container.environment ?? []).filter((kv) => !(kv.name! in vars));
  return { ...container, environment: [...kept, ...Object.entries(vars).map(([name, value]) => ({ name, value }))] };
}

/** A new UI or Job revision, deployed the way a careful engineer would: the service runs it. */
export async function deployOvaledgeRevision(ctx: FaultContext, kind: 'ui' | 'job', change: (c: ContainerDefinition) => ContainerDefinition): Promise<void> {
  const arn = await registerRevision(ctx, SANDBOX_NAMES.families[kind], change);
  ctx.state.services[kind] = await recreateService(ctx, SANDBOX_NAMES.services[kind], (input) => ({ ...input, taskDefinition: arn }));
  ctx.state.taskDefinitions[kind] = arn;
}

/** The SSM parameter the UI and Job may read EDGI_AWS_SECRET_KEY from instead of the Edgi user secret. */
export const EDGI_KEY_PARAMETER = '/askedgi/edgi-aws-secret-key';

/**
 * UI and Job take EDGI_AWS_SECRET_KEY from the SSM parameter (created with the key's value when
 * `create`), and the execution role may read it (ssm:GetParameters), both deployed.
 */
export async function edgiKeyFromSsm(ctx: FaultContext, create: boolean): Promise<void> {
  const arn = `arn:aws:ssm:${ctx.region}:${ctx.state.accountId}:parameter${EDGI_KEY_PARAMETER}`;
  if (create) {
    const secret = await ctx.clients.secrets.send(new GetSecretValueCommand({ SecretId: ctx.state.secrets.edgiUser.arn }));
    const key = (JSON.parse(secret.SecretString ?? '{}') as Record<string, string>).EDGI_AWS_SECRET_KEY ?? '';
    await ctx.clients.ssm.send(new PutParameterCommand({ Name: EDGI_KEY_PARAMETER, Type: 'SecureString', Value: key }));
  }
  await ctx.clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: ctx.state.iam.executionRoleName,
      PolicyName: 'AskEdgiExecutionParameters',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: arn }] }),
    }),
  );
  const fromSsm = (c: ContainerDefinition): ContainerDefinition => ({
    ...c,
    secrets: (c.secrets ?? []).map((x) => (x.name === 'EDGI_AWS_SECRET_KEY' ? { name: x.name, valueFrom: arn } : x)),
  });
  await deployOvaledgeRevision(ctx, 'ui', fromSsm);
  await deployOvaledgeRevision(ctx, 'job', fromSsm);
}

export const OVALEDGE_FAULTS: Fault[] = [
  {
    name: 'ovaledge-ssm-parameter-missing',
    step: 9,
    description: `UI and Job take EDGI_AWS_SECRET_KEY from the SSM parameter ${EDGI_KEY_PARAMETER}, which the execution role may read but which was never created; both are deployed.`,
    expect: { 'task-secret-references': 'fail' },
    async apply(ctx) {
      await edgiKeyFromSsm(ctx, false);
    },
  },
  {
    name: 'edgi-user-secret-scheduled-for-deletion',
    step: 9,
    description: 'The Edgi user secret the UI and Job take their keys from (secrets[].valueFrom) was deleted with a 7-day recovery window: ECS cannot read it when a task starts.',
    expect: { 'task-secret-references': 'fail' },
    async apply(ctx) {
      await ctx.clients.secrets.send(new DeleteSecretCommand({ SecretId: ctx.state.secrets.edgiUser.arn, RecoveryWindowInDays: 7 }));
    },
  },
  {
    name: 'insight-desired-zero',
    step: 8,
    description: 'The Edgi Insight ECS service was created with a desired count of 0, so no Insight task runs.',
    expect: { 'insight-service-running': 'fail' },
    async apply(ctx) {
      ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => ({ ...input, desiredCount: 0 }));
    },
  },
  {
    name: 'insight-not-latest',
    step: 8,
    description: 'A new Insight task definition revision was registered but the Insight service was not redeployed, so it runs an older revision.',
    expect: { 'insight-service-running': 'fail' },
    async apply(ctx) {
      // An identical revision: only the rollout gap is wrong, not the values of step 7.
      ctx.state.taskDefinitions.insight = await registerRevision(ctx, SANDBOX_NAMES.families.insight, (c) => c);
    },
  },
  {
    name: 'insight-service-discovery-off',
    step: 8,
    description: 'The Edgi Insight ECS service was created without Service Discovery, so there is no Service Discovery Endpoint for EDGI_INSIGHT_SERVICE_HOST.',
    // ovaledge-edgi-env cannot compute the endpoint to compare EDGI_INSIGHT_SERVICE_HOST with: error, the other variables still verified.
    expect: { 'insight-service-discovery': 'fail', 'ovaledge-edgi-env': 'error' },
    async apply(ctx) {
      ctx.state.services.insight = await recreateService(ctx, SANDBOX_NAMES.services.insight, (input) => ({ ...input, serviceRegistries: [] }));
    },
  },
  {
    name: 'job-missing-edgi-var',
    step: 9,
    description: 'The OvalEdge Job task definition was updated without EDGI_WORKSPACE_NAMESPACE (only the UI got it) and deployed.',
    expect: { 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail' },
    async apply(ctx) {
      await deployOvaledgeRevision(ctx, 'job', (c) => withoutEnv(c, 'EDGI_WORKSPACE_NAMESPACE'));
    },
  },
  {
    name: 'ui-wrong-insight-host',
    step: 9,
    description: 'The OvalEdge UI task definition sets EDGI_INSIGHT_SERVICE_HOST to the bare service name instead of the Service Discovery Endpoint <service>.<namespace>, and is deployed.',
    expect: { 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail' },
    async apply(ctx) {
      await deployOvaledgeRevision(ctx, 'ui', (c) => withEnv(c, 'EDGI_INSIGHT_SERVICE_HOST', SANDBOX_NAMES.cloudMapServices.insight));
    },
  },
  {
    name: 'ui-not-latest',
    step: 9,
    description: 'A new OvalEdge UI task definition revision was registered but the ovaledge-ui service still runs the previous one.',
    expect: { 'ovaledge-services-latest': 'fail' },
    async apply(ctx) {
      ctx.state.taskDefinitions.ui = await registerRevision(ctx, SANDBOX_NAMES.families.ui, (c) => c);
    },
  },
  {
    name: 'oauth2-incomplete',
    step: 9,
    description: 'UI and Job switch to OVALEDGE_SECURITY_TYPE=oauth2 but the OAuth2 block lacks OAUTH2_ROLE_ATTRIBUTE; both are deployed. OAUTH2_SECRET names a JSON key the Edgi user secret does not hold.',
    // The OAUTH2_SECRET key is not in the secret: ECS would not start the tasks (task-secret-references).
    expect: { 'ovaledge-oauth2': 'fail', 'task-secret-references': 'fail' },
    async apply(ctx) {
      const secretArn = ctx.state.secrets.edgiUser.arn;
      const oauth = (c: ContainerDefinition): ContainerDefinition => ({
        ...addEnv(c, {
          OAUTH2_BASE_URL: 'https://login.acme.example.com',
          OAUTH2_CLIENTID: 'askedgi-sandbox-client',
          OAUTH2_CLIENT_REGISTRATION: 'auth0',
          OVALEDGE_SECURITY_TYPE: 'oauth2',
        }),
        secrets: [...(c.secrets ?? []), { name: 'OAUTH2_SECRET', valueFrom: `${secretArn}:OAUTH2_SECRET::` }],
      });
      await deployOvaledgeRevision(ctx, 'ui', oauth);
      await deployOvaledgeRevision(ctx, 'job', oauth);
    },
  },
  {
    name: 'placeholder-left',
    step: 9,
    description: 'The OvalEdge Job task definition still has the runbook placeholder EDGI_AWS_REGION=<Region>, and is deployed.',
    expect: { 'region-agreement': 'fail', 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail', 'no-placeholders': 'fail' },
    async apply(ctx) {
      await deployOvaledgeRevision(ctx, 'job', (c) => withEnv(c, 'EDGI_AWS_REGION', '<Region>'));
    },
  },
];
