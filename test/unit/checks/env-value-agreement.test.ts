import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/env-value-agreement.js';
import type { FixtureData } from '../../../src/inventory/fixture.js';
import { healthy, latestTd, runOne, setEnv } from '../../support/fixture-deployment.js';
import { errorsWhenDenied, ROOTS, skipsWhenRootFails } from '../../support/common-cases.js';

const DATA = 'edgi-data-service';
const INSIGHT = 'oe_edgi_insights_service';

/** The fixture carries the runbook literals (production / prod); an agreeing deployment uses one value. */
function agreeing(): FixtureData {
  const data = healthy();
  setEnv(data, DATA, 'ENV', 'prod');
  return data;
}

describe('env-value-agreement', () => {
  it('passes when Data and Insight set the same ENV', async () => {
    const r = await runOne(check, agreeing());
    expect(r.status).toBe('pass');
    expect(r.findings[0]!.message).toBe(`Data ${DATA}:2 and Insight ${INSIGHT}:1 both set ENV=prod.`);
  });

  it("warns naming both values on the runbook's literals (production on Data, prod on Insight)", async () => {
    const r = await runOne(check, healthy());
    expect(r.status).toBe('warn');
    const f = r.findings[0]!;
    expect(f.message).toContain(`Task definition ${DATA}:2 (Data) sets ENV=production but ${INSIGHT}:1 (Insight) sets ENV=prod`);
    expect(f.message).toContain('the development team must confirm which value the services expect');
    expect(f.message.endsWith('.')).toBe(true);
    expect(f.expected).toBe(`the same ENV on Data ${DATA}:2 and Insight ${INSIGHT}:1`);
    expect(f.found).toBe('Data ENV=production, Insight ENV=prod');
  });

  it('warns when Insight differs from an agreeing Data', async () => {
    const data = agreeing();
    setEnv(data, INSIGHT, 'ENV', 'dev');
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.found).toBe('Data ENV=prod, Insight ENV=dev');
  });

  it('reads the latest ACTIVE Data revision', async () => {
    const data = agreeing();
    const latest = latestTd(data, DATA);
    data.taskDefinitions!.push({ ...latest, revision: 3, arn: latest.arn.replace(/:2$/, ':3'), containers: [{ ...latest.containers[0]!, environment: [{ name: 'ENV', value: 'production' }] }] });
    const r = await runOne(check, data);
    expect(r.status).toBe('warn');
    expect(r.findings[0]!.message).toContain(`${DATA}:3 (Data) sets ENV=production`);
  });

  it('reports error when ENV is missing on one side', async () => {
    const data = agreeing();
    setEnv(data, INSIGHT, 'ENV', undefined);
    const r = await runOne(check, data);
    expect(r.status).toBe('error');
    expect(r.findings[0]!.message).toBe(`Task definition ${INSIGHT}:1 has no ENV; it cannot be compared.`);
    expect(r.findings[0]!.found).toBe('not set');
  });

  skipsWhenRootFails(check, { ...ROOTS.dataFamilyMissing, base: agreeing });

  skipsWhenRootFails(check, { ...ROOTS.insightFamilyMissing, base: agreeing });

  errorsWhenDenied(check, 'ecs:DescribeTaskDefinition', { alone: true, base: agreeing });
});
