// Faults of runbook step 8–9 (Insight service, service discovery, UI and Job task definitions) and placeholders.
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
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
async function deployRevision(ctx: FaultContext, kind: 'ui' | 'job', change: (c: ContainerDefinition) => ContainerDefinition): Promise<void> {
  const arn = await registerRevision(ctx, SANDBOX_NAMES.families[kind], change);
  ctx.state.services[kind] = await recreateService(ctx, SANDBOX_NAMES.services[kind], (input) => ({ ...input, taskDefinition: arn }));
  ctx.state.taskDefinitions[kind] = arn;
}

export const OVALEDGE_FAULTS: Fault[] = [
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
      await deployRevision(ctx, 'job', (c) => withoutEnv(c, 'EDGI_WORKSPACE_NAMESPACE'));
    },
  },
  {
    name: 'ui-wrong-insight-host',
    step: 9,
    description: 'The OvalEdge UI task definition sets EDGI_INSIGHT_SERVICE_HOST to the bare service name instead of the Service Discovery Endpoint <service>.<namespace>, and is deployed.',
    expect: { 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail' },
    async apply(ctx) {
      await deployRevision(ctx, 'ui', (c) => withEnv(c, 'EDGI_INSIGHT_SERVICE_HOST', SANDBOX_NAMES.cloudMapServices.insight));
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
    description: 'UI and Job switch to OVALEDGE_SECURITY_TYPE=oauth2 but the OAuth2 block lacks OAUTH2_ROLE_ATTRIBUTE; both are deployed.',
    expect: { 'ovaledge-oauth2': 'fail' },
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
      await deployRevision(ctx, 'ui', oauth);
      await deployRevision(ctx, 'job', oauth);
    },
  },
  {
    name: 'placeholder-left',
    step: 9,
    description: 'The OvalEdge Job task definition still has the runbook placeholder EDGI_AWS_REGION=<Region>, and is deployed.',
    expect: { 'region-agreement': 'fail', 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail', 'no-placeholders': 'fail' },
    async apply(ctx) {
      await deployRevision(ctx, 'job', (c) => withEnv(c, 'EDGI_AWS_REGION', '<Region>'));
    },
  },
];
