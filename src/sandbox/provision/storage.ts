// Runbook steps 2–3: the EFS file system, its mount targets and access points, and the S3 bucket.
import { randomBytes } from 'node:crypto';
import { CreateAccessPointCommand, CreateFileSystemCommand, CreateMountTargetCommand } from '@aws-sdk/client-efs';
import { CreateBucketCommand, type BucketLocationConstraint, PutBucketCorsCommand, PutBucketEncryptionCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { type AwsClients } from '../../aws/clients.js';
import { ENV } from './names.js';
import { must } from './support.js';

export async function provisionEfs(clients: AwsClients, subnets: string[], efsSg: string) {
  const { efs } = clients;
  const fs = await efs.send(
    new CreateFileSystemCommand({
      CreationToken: `askedgi-sandbox-${randomBytes(4).toString('hex')}`,
      Encrypted: true,
      PerformanceMode: 'generalPurpose',
      Tags: [{ Key: 'Name', Value: 'askedgi-sandbox' }],
    }),
  );
  const fileSystemId = must(fs.FileSystemId, 'EFS file system id');
  const mountTargetIds: string[] = [];
  for (const subnetId of subnets) {
    const mt = await efs.send(new CreateMountTargetCommand({ FileSystemId: fileSystemId, SubnetId: subnetId, SecurityGroups: [efsSg] }));
    mountTargetIds.push(must(mt.MountTargetId, 'mount target id'));
  }
  const accessPoint = async (kind: 'logs' | 'documents' | 'store'): Promise<string> => {
    const out = await efs.send(
      new CreateAccessPointCommand({
        ClientToken: `askedgi-${kind}-${randomBytes(4).toString('hex')}`,
        FileSystemId: fileSystemId,
        PosixUser: { Uid: 1000, Gid: 1000 },
        RootDirectory: {
          Path: `/oe_edgi_insights_${ENV}_${kind}`,
          CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: '0755' },
        },
        Tags: [{ Key: 'Name', Value: `oe_edgi_insights_${ENV}_${kind}` }],
      }),
    );
    return must(out.AccessPointId, 'access point id');
  };
  return {
    fileSystemId,
    mountTargetIds,
    accessPoints: { logs: await accessPoint('logs'), documents: await accessPoint('documents'), store: await accessPoint('store') },
  };
}

export async function provisionBucket(clients: AwsClients, region: string): Promise<string> {
  const { s3 } = clients;
  const bucket = `askedgi-sandbox-${randomBytes(3).toString('hex')}`;
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  // The tenant origin rather than the runbook's "*": the doctor warns on "*". The sandbox app listens on
  // http://127.0.0.1:<free port> (smoke.baseUrl), and the doctor requires that origin; S3's one wildcard
  // covers the port, which is chosen only when the app starts.
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: bucket,
      CORSConfiguration: { CORSRules: [{ AllowedHeaders: ['*'], AllowedMethods: ['PUT'], AllowedOrigins: ['http://127.0.0.1:*'], ExposeHeaders: [] }] },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    }),
  );
  return bucket;
}
