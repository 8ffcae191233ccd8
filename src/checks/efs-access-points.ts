import type { Config } from '../config/schema.js';
import type { AccessPoint } from '../inventory/types.js';
import type { Finding } from '../model.js';
import { error, fail, pass } from '../engine/finding.js';
import type { Check } from '../engine/check.js';

const KINDS = ['logs', 'documents', 'store'] as const;

/** The runbook's root paths: <prefix>_logs, _documents, _store with prefix /oe_edgi_insights_<env>. */
export function accessPointPaths(cfg: Config): Record<(typeof KINDS)[number], string> {
  const prefix = cfg.expect.accessPointPrefix ?? `/oe_edgi_insights_${cfg.env}`;
  return { logs: `${prefix}_logs`, documents: `${prefix}_documents`, store: `${prefix}_store` };
}

const normalize = (path: string | undefined) => (path && path.length > 1 ? path.replace(/\/+$/, '') : path);

/** Whether a POSIX user can write a directory created with this owner and octal mode. */
function canWrite(user: { uid: number; gid: number }, owner: { ownerUid: number; ownerGid: number }, permissions: string): boolean {
  const mode = permissions.slice(-3).split('').map(Number);
  const bits = user.uid === 0 ? 7 : user.uid === owner.ownerUid ? mode[0]! : user.gid === owner.ownerGid ? mode[1]! : mode[2]!;
  // Writing into a directory needs write and search (x) permission.
  return (bits & 3) === 3;
}

function label(ap: AccessPoint, path: string): string {
  return ap.name && ap.name !== path ? `Access point ${ap.id} (${ap.name}, ${path})` : `Access point ${ap.id} (${path})`;
}

function verify(ap: AccessPoint, path: string, cfg: Config): Finding[] {
  const where = label(ap, path);
  const resource = ap.arn || ap.id;
  const findings: Finding[] = [];
  if (ap.lifeCycleState !== 'available') {
    findings.push(fail(`${where} is ${ap.lifeCycleState || 'in an unknown state'}, not available.`, { code: 'not-available', resource, expected: 'available', found: ap.lifeCycleState || 'unknown' }));
  }
  const wanted = cfg.expect.posixUser;
  const user = ap.posixUser;
  if (!user) {
    findings.push(
      fail(`${where} enforces no POSIX user, so ECS tasks write with their own uid and the directory ownership is not controlled.`, {
        code: 'no-posix-user',
        resource,
        expected: wanted ? `POSIX user ${wanted.uid}:${wanted.gid}` : 'a POSIX user (uid:gid)',
        found: 'no POSIX user',
      }),
    );
  } else if (wanted && (user.uid !== wanted.uid || user.gid !== wanted.gid)) {
    findings.push(fail(`${where} enforces POSIX user ${user.uid}:${user.gid}, not ${wanted.uid}:${wanted.gid} (expect.posixUser).`, { code: 'wrong-posix-user', resource, expected: `POSIX user ${wanted.uid}:${wanted.gid}`, found: `POSIX user ${user.uid}:${user.gid}` }));
  }
  const info = ap.creationInfo;
  if (!info) {
    findings.push(
      fail(`${where} has no creation info (owner uid/gid and permissions), so EFS does not create ${path} for the tasks.`, {
        code: 'no-creation-info',
        resource,
        expected: user ? `creation info owner ${user.uid}:${user.gid} with permissions such as 0755` : 'creation info with owner uid/gid and permissions',
        found: 'no creation info',
      }),
    );
  } else if (!/^[0-7]{3,4}$/.test(info.permissions)) {
    findings.push(fail(`${where} has creation permissions "${info.permissions}", not an octal mode.`, { code: 'bad-permissions', resource, expected: 'an octal mode such as 0755', found: info.permissions || 'none' }));
  } else if (user && !canWrite(user, info, info.permissions)) {
    findings.push(
      fail(`${where} creates ${path} owned by ${info.ownerUid}:${info.ownerGid} with ${info.permissions}, which its POSIX user ${user.uid}:${user.gid} cannot write.`, {
        code: 'not-writable',
        resource,
        expected: `owner ${user.uid}:${user.gid} (the POSIX user) with owner write permission`,
        found: `owner ${info.ownerUid}:${info.ownerGid}, permissions ${info.permissions}`,
      }),
    );
  }
  if (findings.length === 0) {
    findings.push(
      pass(`${where} is available, enforces POSIX user ${user!.uid}:${user!.gid} and creates ${path} as ${info!.ownerUid}:${info!.ownerGid} with ${info!.permissions}.`, { resource }),
    );
  }
  return findings;
}

const check: Check = {
  id: 'efs-access-points',
  title: 'The EFS file system has the three Insight access points, each with a POSIX user and creation permissions',
  step: 2,
  severity: 'critical',
  remediation:
    'Create the EFS access points for the Edgi Insight service with root paths /oe_edgi_insights_<env>_logs, _documents and _store (runbook step 2), and assign correct mount permissions: a POSIX user (uid/gid) and root directory creation info (owner uid/gid = that user, permissions such as 0755). Access points cannot be edited: create a new one and point the Insight task definition volumes at it.',
  codes: ['not-available', 'no-posix-user', 'wrong-posix-user', 'no-creation-info', 'bad-permissions', 'not-writable', 'file-system-not-found', 'missing-access-point'],
  permissions: ['elasticfilesystem:DescribeAccessPoints'],
  async run(inv, cfg) {
    const fsId = cfg.efs.fileSystemId;
    const points = await inv.accessPoints(fsId);
    if (!points) return [error(`EFS file system ${fsId} (efs.fileSystemId) not found; cannot read its access points.`, { code: 'file-system-not-found', resource: fsId, expected: 'an existing file system', found: 'none' })];
    const findings: Finding[] = [];
    const existing = points.map((p) => `${p.id} ${p.rootPath ?? '/'}`).join(', ') || 'no access points';
    for (const kind of KINDS) {
      const path = accessPointPaths(cfg)[kind];
      const matching = points.filter((p) => normalize(p.rootPath) === path);
      if (matching.length === 0) {
        findings.push(fail(`EFS file system ${fsId} has no access point with root path ${path} (Insight ${kind}).`, { code: 'missing-access-point', resource: fsId, expected: `an access point with root path ${path}`, found: existing }));
        continue;
      }
      // Several access points may share a path; one that is fully correct is enough.
      const results = matching.map((ap) => verify(ap, path, cfg));
      findings.push(...(results.find((r) => r.every((f) => f.status === 'pass')) ?? results[0]!));
    }
    return findings;
  },
};

export default check;
