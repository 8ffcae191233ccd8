// SDK clients made on first use: each client module is imported (dynamic import) and its client
// constructed the first time a getter needs that service, so a command that never calls S3 never
// loads @aws-sdk/client-s3. Only type imports of SDK modules appear here.
import { clientConfig, type ClientOptions, type ServiceKey } from './client-config.js';

export interface SdkModules {
  sts: typeof import('@aws-sdk/client-sts');
  ec2: typeof import('@aws-sdk/client-ec2');
  ecs: typeof import('@aws-sdk/client-ecs');
  efs: typeof import('@aws-sdk/client-efs');
  iam: typeof import('@aws-sdk/client-iam');
  s3: typeof import('@aws-sdk/client-s3');
  secrets: typeof import('@aws-sdk/client-secrets-manager');
  cloudMap: typeof import('@aws-sdk/client-servicediscovery');
  logs: typeof import('@aws-sdk/client-cloudwatch-logs');
  sqs: typeof import('@aws-sdk/client-sqs');
  ssm: typeof import('@aws-sdk/client-ssm');
}

export interface SdkClients {
  sts: import('@aws-sdk/client-sts').STSClient;
  ec2: import('@aws-sdk/client-ec2').EC2Client;
  ecs: import('@aws-sdk/client-ecs').ECSClient;
  efs: import('@aws-sdk/client-efs').EFSClient;
  iam: import('@aws-sdk/client-iam').IAMClient;
  s3: import('@aws-sdk/client-s3').S3Client;
  secrets: import('@aws-sdk/client-secrets-manager').SecretsManagerClient;
  cloudMap: import('@aws-sdk/client-servicediscovery').ServiceDiscoveryClient;
  logs: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient;
  sqs: import('@aws-sdk/client-sqs').SQSClient;
  ssm: import('@aws-sdk/client-ssm').SSMClient;
}

type Maker<K extends ServiceKey> = { load: () => Promise<SdkModules[K]>; make: (m: SdkModules[K], config: ReturnType<typeof clientConfig>) => SdkClients[K] };

const MAKERS: { [K in ServiceKey]: Maker<K> } = {
  sts: { load: () => import('@aws-sdk/client-sts'), make: (m, c) => new m.STSClient(c) },
  ec2: { load: () => import('@aws-sdk/client-ec2'), make: (m, c) => new m.EC2Client(c) },
  ecs: { load: () => import('@aws-sdk/client-ecs'), make: (m, c) => new m.ECSClient(c) },
  efs: { load: () => import('@aws-sdk/client-efs'), make: (m, c) => new m.EFSClient(c) },
  iam: { load: () => import('@aws-sdk/client-iam'), make: (m, c) => new m.IAMClient(c) },
  s3: { load: () => import('@aws-sdk/client-s3'), make: (m, c) => new m.S3Client(c) },
  secrets: { load: () => import('@aws-sdk/client-secrets-manager'), make: (m, c) => new m.SecretsManagerClient(c) },
  cloudMap: { load: () => import('@aws-sdk/client-servicediscovery'), make: (m, c) => new m.ServiceDiscoveryClient(c) },
  logs: { load: () => import('@aws-sdk/client-cloudwatch-logs'), make: (m, c) => new m.CloudWatchLogsClient(c) },
  sqs: { load: () => import('@aws-sdk/client-sqs'), make: (m, c) => new m.SQSClient(c) },
  ssm: { load: () => import('@aws-sdk/client-ssm'), make: (m, c) => new m.SSMClient(c) },
};

export interface Loaded<K extends ServiceKey> {
  sdk: SdkModules[K];
  client: SdkClients[K];
}

export class LazyClients {
  private readonly made = new Map<string, Promise<Loaded<ServiceKey>>>();
  private readonly live: { destroy(): void }[] = [];

  /** `onCreate` sees every client once, before its first request (the call counter hooks in there). */
  constructor(
    readonly options: ClientOptions,
    private readonly onCreate?: (key: ServiceKey, client: SdkClients[ServiceKey]) => void,
  ) {}

  /** The module and client of a service; `region` gives a client of another region (an S3 bucket elsewhere). */
  get<K extends ServiceKey>(key: K, region = this.options.region): Promise<Loaded<K>> {
    const id = `${key}@${region}`;
    let p = this.made.get(id) as Promise<Loaded<K>> | undefined;
    if (!p) {
      const maker = MAKERS[key];
      p = maker.load().then((sdk) => {
        const client = maker.make(sdk, clientConfig({ ...this.options, region }, key));
        this.live.push(client);
        this.onCreate?.(key, client);
        return { sdk, client };
      });
      this.made.set(id, p as Promise<Loaded<ServiceKey>>);
    }
    return p;
  }

  /** Services whose client exists (for tests of laziness). */
  loaded(): string[] {
    return [...this.made.keys()];
  }

  destroy(): void {
    for (const c of this.live.splice(0)) c.destroy();
  }
}
