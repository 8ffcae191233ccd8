import type { Finding } from '../model.js';
import { fail, pass } from '../engine/finding.js';
import { rollout, runsLatest, DEPLOYMENT_CODES } from './support/ovaledge.js';
import { INSIGHT_SERVICE, INSIGHT_TASK_DEFINITION } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const check: Check = {
  id: 'insight-service-running',
  title: 'Insight service is ACTIVE, runs all its desired tasks on the latest task definition revision, rollout complete',
  step: 8,
  severity: 'critical',
  remediation:
    'Create or update the Edgi Insight ECS service (runbook step 8) with the latest revision of the Insight task definition and a desired count of at least 1, then wait until its deployment is COMPLETED and every desired task is running ("Always deploy the latest task definition revision").',
  codes: ['not-active', 'desired-zero', 'not-all-running', ...DEPLOYMENT_CODES],
  permissions: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition'],
  async run(inv, cfg) {
    const net = await need(inv, cfg, INSIGHT_SERVICE);
    const { service } = net;
    const findings: Finding[] = [];
    if (service.status !== 'ACTIVE') {
      findings.push(fail(`ECS service ${service.name} is ${service.status}, not ACTIVE.`, { code: 'not-active', resource: service.arn, expected: 'ACTIVE', found: service.status }));
    }
    if (service.desiredCount <= 0) {
      findings.push(fail(`ECS service ${service.name} has a desired count of ${service.desiredCount}; no Insight task is meant to run.`, { code: 'desired-zero', resource: service.arn, expected: 'desiredCount of at least 1', found: `desiredCount ${service.desiredCount}` }));
    } else if (service.runningCount !== service.desiredCount) {
      findings.push(
        fail(`ECS service ${service.name} runs ${service.runningCount} of ${service.desiredCount} desired tasks.`, {
          code: 'not-all-running',
          resource: service.arn,
          expected: `${service.desiredCount} running tasks`,
          found: `${service.runningCount} running`,
        }),
      );
    }
    const latest = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    findings.push(...runsLatest(service, latest));
    const state = rollout(service);
    if (state) findings.push(state);
    if (findings.every((f) => f.status === 'pass')) {
      const primary = service.deployments.find((d) => d.status === 'PRIMARY');
      const rolloutText = primary?.rolloutState ? `rollout ${primary.rolloutState}` : 'rollout state not reported';
      return [pass(`ECS service ${service.name} is ACTIVE and runs ${service.runningCount} of ${service.desiredCount} tasks on ${latest.family}:${latest.revision}, the latest ACTIVE revision (${rolloutText}).`, { resource: service.arn })];
    }
    return findings.filter((f) => f.status !== 'pass');
  },
};

export default check;
