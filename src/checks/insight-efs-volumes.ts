import type { AccessPoint, ContainerDefinition, TaskDefinition } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import { envEntry, tdName } from '../resolve/env.js';
import { INSIGHT_TASK_DEFINITION, roleMain } from '../resolve/deployment.js';
import { need } from '../resolve/core.js';
import type { Check } from '../engine/check.js';

const VOLUMES = [
  { kind: 'logs', variable: 'LOG_PATH' },
  { kind: 'documents', variable: 'DOCS_FOLDER' },
  { kind: 'store', variable: 'STORE_FOLDER' },
] as const;

const apLabel = (ap: AccessPoint) => `${ap.id} (${ap.rootPath ?? 'no root path'})`;

/** The problems of the volume mounted at `path`, checked against access point `ap`; empty when it is right. */
function volumeProblems(td: TaskDefinition, container: ContainerDefinition, path: string, ap: AccessPoint, fileSystemId: string, all: AccessPoint[]): { problems: string[]; found: string } {
  const mount = container.mountPoints.find((m) => m.containerPath === path);
  if (!mount) {
    const mounts = container.mountPoints.map((m) => `${m.sourceVolume ?? '?'} at ${m.containerPath ?? '?'}`).join(', ') || 'no mount points';
    return { problems: [`nothing is mounted at ${path} in container ${container.name}`], found: mounts };
  }
  const volume = td.volumes.find((v) => v.name === mount.sourceVolume);
  const efs = volume?.efs;
  if (!efs) {
    return { problems: [`volume ${mount.sourceVolume ?? '?'} mounted at ${path} is ${volume ? 'not an EFS volume' : 'not defined'}`], found: `volume ${mount.sourceVolume ?? '?'}` };
  }
  const problems: string[] = [];
  if (efs.fileSystemId !== fileSystemId) problems.push(`it is on file system ${efs.fileSystemId}, not ${fileSystemId}`);
  if (efs.accessPointId !== ap.id) {
    const used = all.find((a) => a.id === efs.accessPointId);
    problems.push(efs.accessPointId ? `it uses access point ${used ? apLabel(used) : efs.accessPointId}, not ${apLabel(ap)}` : `it uses no access point, not ${apLabel(ap)}`);
  }
  // AWS requires transit encryption when an access point is used:
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html
  if (efs.transitEncryption !== 'ENABLED') problems.push(`transit encryption is ${efs.transitEncryption ?? 'not set'}, and AWS requires ENABLED with an access point`);
  // With an access point the root directory must be omitted or "/" (the access point sets it).
  if (efs.rootDirectory && efs.rootDirectory !== '/') problems.push(`root directory is ${efs.rootDirectory}, but with an access point it must be omitted or /`);
  const found = `volume ${volume.name}: file system ${efs.fileSystemId}, access point ${efs.accessPointId ?? 'none'}, transit encryption ${efs.transitEncryption ?? 'not set'}, root directory ${efs.rootDirectory ?? 'not set'}`;
  return { problems, found };
}

const check: Check = {
  id: 'insight-efs-volumes',
  title: 'Three EFS volumes on the step-2 access points are mounted at LOG_PATH, DOCS_FOLDER and STORE_FOLDER with transit encryption',
  step: 7,
  severity: 'high',
  remediation:
    'Add three EFS volumes to the Edgi Insight task definition (runbook step 7), each on the configured file system with the matching step-2 access point (_logs, _documents, _store), transit encryption ENABLED and no root directory; mount them in the Insight container at LOG_PATH, DOCS_FOLDER and STORE_FOLDER. Register a new revision and redeploy the service.',
  codes: ['no-container', 'file-system-not-found', 'path-unknown', 'missing-access-point', 'wrong-volume'],
  permissions: ['ecs:DescribeTaskDefinition', 'elasticfilesystem:DescribeAccessPoints'],
  async run(inv, cfg) {
    const td = await need(inv, cfg, INSIGHT_TASK_DEFINITION);
    const where = `Task definition ${tdName(td)}`;
    const container = roleMain(td, cfg, 'insight');
    if (!container) return [fail(`${where} has no container.`, { code: 'no-container', resource: td.arn, expected: cfg.expect.insight.container, found: 'no containers' })];
    const fsId = cfg.efs.fileSystemId;
    const points = await inv.accessPoints(fsId);
    if (!points) {
      return [error(`EFS file system ${fsId} not found; the access points of the Insight volumes cannot be verified.`, { code: 'file-system-not-found', resource: fsId, expected: 'an existing EFS file system', found: 'none' })];
    }
    const prefix = cfg.expect.accessPointPrefix ?? `/oe_edgi_insights_${cfg.env}`;
    const findings: Finding[] = [];
    for (const { kind, variable } of VOLUMES) {
      const rootPath = `${prefix}_${kind}`;
      const entry = envEntry(container, variable);
      if (!entry || entry.source === 'secrets' || entry.value.trim() === '') {
        findings.push(
          fail(`${where} has no plain ${variable}, so the path where the ${kind} volume must be mounted is unknown.`, {
            code: 'path-unknown',
            resource: td.arn,
            expected: `${variable} set to the container path of the ${kind} volume`,
            found: entry ? (entry.source === 'secrets' ? 'a secrets reference' : 'empty') : 'not set',
          }),
        );
        continue;
      }
      const path = entry.value.trim();
      const ap = points.find((p) => p.rootPath === rootPath);
      if (!ap) {
        findings.push(
          fail(`EFS file system ${fsId} has no access point with root path ${rootPath}, so the ${kind} volume at ${variable}=${path} cannot use it.`, {
            code: 'missing-access-point',
            resource: fsId,
            expected: `an access point ${rootPath}`,
            found: points.map(apLabel).join(', ') || 'no access points',
          }),
        );
        continue;
      }
      const { problems, found } = volumeProblems(td, container, path, ap, fsId, points);
      const expected = `an EFS volume on ${fsId} with access point ${apLabel(ap)}, transit encryption ENABLED, mounted at ${path}`;
      if (problems.length > 0) {
        findings.push(fail(`${where}: the ${kind} volume at ${variable}=${path} is wrong: ${problems.join('; ')}.`, { code: 'wrong-volume', resource: td.arn, expected, found }));
      } else {
        findings.push(pass(`${where} mounts access point ${apLabel(ap)} at ${variable}=${path} with transit encryption.`, { resource: td.arn }));
      }
    }
    return findings;
  },
};

export default check;
