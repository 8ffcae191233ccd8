// Helpers shared by the provisioning steps: emulator answers, tags, env lists, trust policies,
// Cloud Map operations, task definition registration and ECS services.
import { type TagSpecification, type ResourceType } from '@aws-sdk/client-ec2';
import { CreateServiceCommand, RegisterTaskDefinitionCommand, type ContainerDefinition, type KeyValuePair, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { GetOperationCommand } from '@aws-sdk/client-servicediscovery';
import { type AwsClients } from '../../aws/clients.js';
import { SANDBOX_TENANT_ID, CLUSTER } from './names.js';

export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`The emulator returned no ${what}.`);
  return value;
}

export function tags(resourceType: ResourceType, name: string): TagSpecification[] {
  return [{ ResourceType: resourceType, Tags: [{ Key: 'Name', Value: name }, { Key: 'project', Value: 'askedgi-sandbox' }] }];
}



export function env(vars: Record<string, string>): KeyValuePair[] {
  return Object.entries({ ...vars, ...SANDBOX_TENANT_ID })
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

export function trustPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

export async function cloudMapOperationTarget(clients: AwsClients, operationId: string | undefined, target: 'NAMESPACE' | 'INSTANCE'): Promise<string> {
  const op = await clients.cloudMap.send(new GetOperationCommand({ OperationId: must(operationId, 'Cloud Map operation id') }));
  if (op.Operation?.Status === 'FAIL') {
    throw new Error(`Cloud Map operation ${operationId} failed: ${op.Operation.ErrorMessage ?? 'no reason given'}.`);
  }
  return must(op.Operation?.Targets?.[target], `Cloud Map ${target.toLowerCase()} id`);
}


export function logConfiguration(group: string, region: string): ContainerDefinition['logConfiguration'] {
  return { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' } };
}

export async function registerTaskDefinition(clients: AwsClients, input: RegisterTaskDefinitionCommandInput): Promise<string> {
  const out = await clients.ecs.send(new RegisterTaskDefinitionCommand(input));
  return must(out.taskDefinition?.taskDefinitionArn, 'task definition ARN');
}

export interface TaskDefinitionContext {
  region: string;
  bucket: string;
  taskRoleArn: string;
  executionRoleArn: string;
  dbSecretName: string;
}


export async function createEcsService(
  clients: AwsClients,
  p: { name: string; taskDefinition: string; subnets: string[]; securityGroup: string; registryArn?: string },
): Promise<string> {
  const out = await clients.ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: p.name,
      taskDefinition: p.taskDefinition,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: p.subnets, securityGroups: [p.securityGroup], assignPublicIp: 'DISABLED' } },
      ...(p.registryArn ? { serviceRegistries: [{ registryArn: p.registryArn }] } : {}),
    }),
  );
  return must(out.service?.serviceArn, 'service ARN');
}
