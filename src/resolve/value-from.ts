// How ECS reads a `secrets[].valueFrom` at task start: a Secrets Manager secret ARN, optionally
// followed by :json-key:version-stage:version-id, or an SSM Parameter Store parameter (its ARN, or
// its name in the task's region).
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html

export type ValueFrom =
  | { kind: 'secretsmanager'; secretArn: string; region: string; jsonKey?: string }
  /** `names`: the parameter names the reference may mean (arn:…:parameter/x names "x" or "/x"). */
  | { kind: 'ssm'; names: string[]; region?: string }
  | { kind: 'unknown' };

export function parseValueFrom(valueFrom: string): ValueFrom {
  const parts = valueFrom.split(':');
  if (parts[0] === 'arn' && parts[2] === 'secretsmanager' && parts[5] === 'secret' && parts.length >= 7) {
    const jsonKey = parts[7] ? parts[7] : undefined;
    return { kind: 'secretsmanager', secretArn: parts.slice(0, 7).join(':'), region: parts[3]!, ...(jsonKey ? { jsonKey } : {}) };
  }
  if (parts[0] === 'arn' && parts[2] === 'ssm' && parts.length === 6 && parts[5]!.startsWith('parameter/')) {
    const rest = parts[5]!.slice('parameter/'.length);
    return { kind: 'ssm', names: rest.includes('/') ? [`/${rest}`] : [rest, `/${rest}`], region: parts[3]! };
  }
  if (parts[0] === 'arn') return { kind: 'unknown' };
  return { kind: 'ssm', names: [valueFrom] };
}
