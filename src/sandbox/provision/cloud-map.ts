// Runbook step 7: the private DNS namespace, its Cloud Map services and their instances.
import { randomBytes } from 'node:crypto';
import { CreatePrivateDnsNamespaceCommand, CreateServiceCommand as CreateCloudMapServiceCommand, GetNamespaceCommand, RegisterInstanceCommand } from '@aws-sdk/client-servicediscovery';
import { type AwsClients } from '../../aws/clients.js';
import { SANDBOX_NAMES, CLUSTER, NAMESPACE } from './names.js';
import { must, cloudMapOperationTarget } from './support.js';

export async function provisionCloudMap(clients: AwsClients, vpcId: string) {
  const { cloudMap } = clients;
  const ns = await cloudMap.send(
    new CreatePrivateDnsNamespaceCommand({
      Name: NAMESPACE,
      Vpc: vpcId,
      Description: 'AskEdgi service discovery.',
      CreatorRequestId: randomBytes(8).toString('hex'),
    }),
  );
  const namespaceId = await cloudMapOperationTarget(clients, ns.OperationId, 'NAMESPACE');
  const service = async (name: string) => {
    const out = await cloudMap.send(
      new CreateCloudMapServiceCommand({
        Name: name,
        NamespaceId: namespaceId,
        CreatorRequestId: randomBytes(8).toString('hex'),
        DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
      }),
    );
    return { id: must(out.Service?.Id, 'Cloud Map service id'), arn: must(out.Service?.Arn, 'Cloud Map service ARN') };
  };
  const insight = await service(SANDBOX_NAMES.cloudMapServices.insight);
  const data = await service(SANDBOX_NAMES.cloudMapServices.data);
  const namespace = await cloudMap.send(new GetNamespaceCommand({ Id: namespaceId }));
  return { namespaceId, namespaceArn: must(namespace.Namespace?.Arn, 'namespace ARN'), insight, data };
}

export async function registerCloudMapInstances(
  clients: AwsClients,
  p: { region: string; availabilityZone: string; insightServiceId: string; dataServiceId: string },
) {
  const common = { AVAILABILITY_ZONE: p.availabilityZone, REGION: p.region, ECS_CLUSTER_NAME: CLUSTER };
  const insightInstanceId = 'oe-edgi-insights-service-task-1';
  const dataInstanceId = 'edgi-data-service-admin';
  await clients.cloudMap.send(
    new RegisterInstanceCommand({
      ServiceId: p.insightServiceId,
      InstanceId: insightInstanceId,
      Attributes: {
        ...common,
        AWS_INSTANCE_IPV4: '10.20.1.10',
        AWS_INSTANCE_PORT: '8000',
        ECS_SERVICE_NAME: SANDBOX_NAMES.services.insight,
        ECS_TASK_DEFINITION_FAMILY: SANDBOX_NAMES.families.insight,
      },
    }),
  );
  await clients.cloudMap.send(
    new RegisterInstanceCommand({
      ServiceId: p.dataServiceId,
      InstanceId: dataInstanceId,
      Attributes: {
        ...common,
        AWS_INSTANCE_IPV4: '10.20.1.50',
        AWS_INSTANCE_PORT: '8000',
        ECS_SERVICE_NAME: 'edgi-data-service-admin',
        ECS_TASK_DEFINITION_FAMILY: SANDBOX_NAMES.families.data,
      },
    }),
  );
  return { insightInstanceId, dataInstanceId };
}
