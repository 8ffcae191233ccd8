// Faults of runbook step 2–3 (EFS access points and mount targets, S3 bucket).
import { randomBytes } from 'node:crypto';
import { CreateAccessPointCommand, DeleteAccessPointCommand, DeleteMountTargetCommand, type CreateAccessPointCommandInput } from '@aws-sdk/client-efs';
import { DeleteBucketCommand, DeleteBucketCorsCommand, DeleteObjectsCommand, ListObjectsV2Command, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { SANDBOX_NAMES } from '../provision.js';
import { recreateService, redeployInsight, registerRevision, registerTaskDefinition, withEnv, type Fault, type FaultContext } from './support.js';

type Kind = 'logs' | 'documents' | 'store';

const ROOT_PATH = (kind: Kind, env: string = SANDBOX_NAMES.env) => `/oe_edgi_insights_${env}_${kind}`;

/**
 * Replaces one access point, as an engineer must (access points cannot be edited): create the new
 * one, point the Insight task definition's volume at it in a new revision, redeploy the Insight
 * service on that revision, then delete the old access point.
 */
async function replaceAccessPoint(ctx: FaultContext, kind: Kind, change: (input: CreateAccessPointCommandInput) => CreateAccessPointCommandInput): Promise<void> {
  const { efs } = ctx.clients;
  const oldId = ctx.state.efs.accessPoints[kind];
  const input: CreateAccessPointCommandInput = {
    ClientToken: `askedgi-${kind}-${randomBytes(4).toString('hex')}`,
    FileSystemId: ctx.state.efs.fileSystemId,
    PosixUser: { Uid: 1000, Gid: 1000 },
    RootDirectory: { Path: ROOT_PATH(kind), CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: '0755' } },
    Tags: [{ Key: 'Name', Value: `oe_edgi_insights_${SANDBOX_NAMES.env}_${kind}` }],
  };
  const created = await efs.send(new CreateAccessPointCommand(change(input)));
  const newId = created.AccessPointId;
  if (!newId) throw new Error(`Creating the ${kind} access point returned no id.`);

  const family = SANDBOX_NAMES.families.insight;
  const arn = await registerTaskDefinition(ctx, family, (input) => {
    const volumes = (input.volumes ?? []).map((v) => {
      const efsConfig = v.efsVolumeConfiguration;
      if (efsConfig?.authorizationConfig?.accessPointId !== oldId) return v;
      return { ...v, efsVolumeConfiguration: { ...efsConfig, authorizationConfig: { ...efsConfig.authorizationConfig, accessPointId: newId } } };
    });
    if (!volumes.some((v) => v.efsVolumeConfiguration?.authorizationConfig?.accessPointId === newId)) {
      throw new Error(`No volume of ${family} uses access point ${oldId}.`);
    }
    return { ...input, volumes };
  });
  await redeployInsight(ctx, arn);

  await efs.send(new DeleteAccessPointCommand({ AccessPointId: oldId }));
  ctx.state.efs.accessPoints[kind] = newId;
}

const corsRule = (origins: string[]) => ({ CORSRules: [{ AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: origins, ExposeHeaders: [] }] });

export const STORAGE_FAULTS: Fault[] = [
  {
    name: 'efs-access-point-wrong-path',
    step: 2,
    description: 'The _store access point was created with the prod path /oe_edgi_insights_prod_store instead of /oe_edgi_insights_<env>_store, and the Insight store volume uses it.',
    // insight-efs-volumes verifies the volumes sit on the step-2 access points, so it sees the same gap.
    expect: { 'efs-access-points': 'fail', 'insight-efs-volumes': 'fail' },
    async apply(ctx) {
      await replaceAccessPoint(ctx, 'store', (input) => ({
        ...input,
        RootDirectory: { ...input.RootDirectory, Path: ROOT_PATH('store', 'prod') },
        Tags: [{ Key: 'Name', Value: 'oe_edgi_insights_prod_store' }],
      }));
    },
  },
  {
    name: 'efs-access-point-no-posix-user',
    step: 2,
    description: 'The _logs access point was re-created without a POSIX user and without creation info (mount permissions not assigned); the Insight logs volume uses it.',
    expect: { 'efs-access-points': 'fail' },
    async apply(ctx) {
      await replaceAccessPoint(ctx, 'logs', (input) => ({ ...input, PosixUser: undefined, RootDirectory: { Path: ROOT_PATH('logs') } }));
    },
  },
  {
    name: 'efs-mount-target-missing',
    step: 2,
    description: "The EFS mount target in the second Insight subnet's Availability Zone was deleted, so Insight tasks there cannot mount EFS.",
    expect: { 'efs-mount-targets-in-insight-azs': 'fail' },
    async apply(ctx) {
      const id = ctx.state.efs.mountTargetIds[1];
      if (!id) throw new Error('The sandbox has no second mount target.');
      await ctx.clients.efs.send(new DeleteMountTargetCommand({ MountTargetId: id }));
      ctx.state.efs.mountTargetIds = ctx.state.efs.mountTargetIds.filter((m) => m !== id);
    },
  },
  {
    name: 's3-bucket-deleted',
    step: 3,
    description: 'The Edgi S3 bucket named in BUCKET_NAME and EDGI_BUCKET_NAME was emptied and deleted.',
    expect: { 's3-bucket-exists': 'fail' },
    async apply(ctx) {
      const { s3 } = ctx.clients;
      const Bucket = ctx.state.bucket;
      // A bucket must be empty before it can be deleted.
      for (;;) {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket }));
        const keys = (listed.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
        if (keys.length === 0) break;
        await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys } }));
      }
      await s3.send(new DeleteBucketCommand({ Bucket }));
    },
  },
  {
    name: 's3-cors-removed',
    step: 3,
    description: 'The Edgi bucket has no CORS configuration, so browser uploads (PUT) from OvalEdge fail the preflight.',
    expect: { 's3-bucket-cors': 'fail' },
    async apply(ctx) {
      await ctx.clients.s3.send(new DeleteBucketCorsCommand({ Bucket: ctx.state.bucket }));
    },
  },
  {
    name: 's3-cors-get-only',
    step: 3,
    description: 'The Edgi bucket CORS rule allows GET instead of PUT, so uploads from OvalEdge fail the preflight.',
    expect: { 's3-bucket-cors': 'fail' },
    async apply(ctx) {
      await ctx.clients.s3.send(
        new PutBucketCorsCommand({
          Bucket: ctx.state.bucket,
          CORSConfiguration: { CORSRules: [{ AllowedHeaders: ['*'], AllowedMethods: ['GET'], AllowedOrigins: ['http://127.0.0.1:*'], ExposeHeaders: [] }] },
        }),
      );
    },
  },
  {
    name: 's3-cors-any-origin',
    step: 3,
    description: 'The Edgi bucket CORS rule is the runbook\'s literal AllowedOrigins ["*"]: uploads work, but any web origin passes the preflight.',
    expect: { 's3-bucket-cors': 'warn' },
    async apply(ctx) {
      await ctx.clients.s3.send(new PutBucketCorsCommand({ Bucket: ctx.state.bucket, CORSConfiguration: corsRule(['*']) }));
    },
  },
  {
    name: 'ui-bucket-name-mismatch',
    step: 3,
    description: 'EDGI_BUCKET_NAME on the OvalEdge UI task definition names another bucket than BUCKET_NAME on Data and Insight (and EDGI_BUCKET_NAME on Job).',
    // Step 9 checks see the same value from their side: ovaledge-edgi-env compares EDGI_BUCKET_NAME
    // with BUCKET_NAME on Data, and ovaledge-ui-job-agree finds the UI and Job disagree.
    expect: { 'bucket-name-consistent': 'fail', 'ovaledge-edgi-env': 'fail', 'ovaledge-ui-job-agree': 'fail' },
    async apply(ctx) {
      const other = `${ctx.state.bucket}-staging`;
      const arn = await registerRevision(ctx, SANDBOX_NAMES.families.ui, (c) => withEnv(c, 'EDGI_BUCKET_NAME', other));
      // The UI service runs the new revision, so only the bucket name is wrong, not the rollout.
      ctx.state.services.ui = await recreateService(ctx, SANDBOX_NAMES.services.ui, (input) => ({ ...input, taskDefinition: arn }));
      ctx.state.taskDefinitions.ui = arn;
    },
  },
];
