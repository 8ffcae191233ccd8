import { describe, expect, it } from 'vitest';
import { evaluate, globMatch, resourceMatches, conditionMatches, describePolicy, type PolicySource } from '../../../src/effective/iam.js';

const BUCKET = 'arn:aws:s3:::edgi-bucket';
const OBJECT = 'arn:aws:s3:::edgi-bucket/docs/a.pdf';
const managed = (name: string, Statement: unknown, versionId = 'v1'): PolicySource => ({ origin: 'managed', name, versionId, arn: `arn:aws:iam::123456789012:policy/${name}`, document: { Version: '2012-10-17', Statement } });
const inline = (name: string, Statement: unknown): PolicySource => ({ origin: 'inline', name, document: { Version: '2012-10-17', Statement } });
const boundary = (Statement: unknown): PolicySource => ({ origin: 'boundary', name: 'Cap', versionId: 'v2', document: { Statement } });

describe('globMatch', () => {
  it('matches * as any run and ? as exactly one character', () => {
    expect(globMatch('s3:Get*', 's3:GetObject', false)).toBe(true);
    expect(globMatch('s3:Get?bject', 's3:GetObject', false)).toBe(true);
    expect(globMatch('s3:Get?bject', 's3:GetOObject', false)).toBe(false);
    expect(globMatch('*', '', false)).toBe(true);
    expect(globMatch('a*b*c', 'axxbyyc', false)).toBe(true);
    expect(globMatch('a*b*c', 'axxbyy', false)).toBe(false);
  });
});

describe('evaluate: the rules of AWS policy evaluation logic', () => {
  it('denies implicitly when no policy applies', () => {
    expect(evaluate([], undefined, { action: 's3:GetObject', resource: OBJECT })).toEqual({ decision: 'implicit-deny', reason: 'no-allow' });
  });

  it('allows through a matching Allow, naming the statement (Statement as an object, Action as a string)', () => {
    const p = managed('P', { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    expect(evaluate([p], undefined, { action: 's3:GetObject', resource: OBJECT })).toEqual({ decision: 'allowed', by: { policy: p, sid: 'Read' } });
  });

  it('matches actions case-insensitively and resources case-sensitively', () => {
    const p = inline('I', [{ Effect: 'Allow', Action: ['S3:getobject'], Resource: ['arn:aws:s3:::Edgi-Bucket/*'] }]);
    expect(evaluate([p], undefined, { action: 's3:GetObject', resource: OBJECT }).decision).toBe('implicit-deny');
    const q = inline('I', [{ Effect: 'Allow', Action: ['S3:getobject'], Resource: [`${BUCKET}/*`] }]);
    expect(evaluate([q], undefined, { action: 's3:GetObject', resource: OBJECT })).toEqual({ decision: 'allowed', by: { policy: q, sid: '#1' } });
  });

  it('an explicit Deny wins over any Allow, and names the denying policy', () => {
    const allow = managed('A', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const deny = inline('D', [{ Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]);
    expect(evaluate([allow, deny], undefined, { action: 's3:DeleteObject', resource: OBJECT })).toEqual({ decision: 'explicit-deny', by: { policy: deny, sid: 'NoDelete' } });
    expect(evaluate([allow, deny], undefined, { action: 's3:PutObject', resource: OBJECT }).decision).toBe('allowed');
  });

  it('an explicit Deny in the permissions boundary also wins', () => {
    const allow = managed('A', [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const b = boundary([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'sqs:*', Resource: '*' }]);
    expect(evaluate([allow], b, { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:123456789012:q' })).toEqual({ decision: 'explicit-deny', by: { policy: b, sid: '#2' } });
  });

  it('a permissions boundary that does not allow the action denies implicitly (reason: boundary)', () => {
    const allow = managed('A', [{ Effect: 'Allow', Action: ['s3:*', 'ecs:RunTask'], Resource: '*' }]);
    const b = boundary({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    expect(evaluate([allow], b, { action: 'ecs:RunTask', resource: 'arn:aws:ecs:us-east-1:123456789012:task-definition/edgi-data-service:3' })).toEqual({ decision: 'implicit-deny', reason: 'boundary', boundary: b });
    expect(evaluate([allow], b, { action: 's3:GetObject', resource: OBJECT }).decision).toBe('allowed');
  });

  it('a boundary alone grants nothing', () => {
    const b = boundary({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(evaluate([], b, { action: 's3:GetObject', resource: OBJECT })).toEqual({ decision: 'implicit-deny', reason: 'no-allow' });
  });

  it('NotAction with Allow allows everything except the listed actions', () => {
    const p = inline('N', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(evaluate([p], undefined, { action: 'ecs:StopTask', resource: '*' }).decision).toBe('allowed');
    expect(evaluate([p], undefined, { action: 'iam:PassRole', resource: 'arn:aws:iam::123456789012:role/r' }).decision).toBe('implicit-deny');
  });

  it('NotResource with Deny denies every resource except the listed ones', () => {
    const allow = inline('A', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const deny = inline('D', { Effect: 'Deny', Action: 's3:*', NotResource: [BUCKET, `${BUCKET}/*`] });
    expect(evaluate([allow, deny], undefined, { action: 's3:GetObject', resource: OBJECT }).decision).toBe('allowed');
    expect(evaluate([allow, deny], undefined, { action: 's3:GetObject', resource: 'arn:aws:s3:::other/x' }).decision).toBe('explicit-deny');
  });

  it('a * inside an ARN segment stays in it; a * ending a segment expands past the colons', () => {
    expect(resourceMatches('arn:aws:sqs:*:123456789012:edgi_*', 'arn:aws:sqs:us-east-1:123456789012:edgi_data_sync_queue').kind).toBe('yes');
    expect(resourceMatches('arn:aws:sqs:us-east-1*', 'arn:aws:sqs:us-east-1:123456789012:q').kind).toBe('yes');
    expect(resourceMatches('arn:aws:sqs:us-*-1:123456789012:q', 'arn:aws:sqs:us-east-1:123456789012:q').kind).toBe('yes');
    expect(resourceMatches('arn:aws:sqs:us*1:123456789012:q', 'arn:aws:sqs:us-east-1:123456789012:q').kind).toBe('yes');
    expect(resourceMatches('arn:aws:sqs:u*q', 'arn:aws:sqs:us-east-1:123456789012:q').kind).toBe('no');
    expect(resourceMatches('arn:aws:s3:::edgi-bucket*', 'arn:aws:s3:::edgi-bucket/docs/a.pdf').kind).toBe('yes');
    expect(resourceMatches('arn:aws:ecs:us-east-1:123456789012:task-definition/edgi-data-service:*', 'arn:aws:ecs:us-east-1:123456789012:task-definition/edgi-data-service:7').kind).toBe('yes');
    expect(resourceMatches('arn:aws:ecs:us-east-1:123456789012:task-definition/edgi-data-service:*', 'arn:aws:ecs:us-east-1:123456789012:task-definition/edgi-data-servicex:7').kind).toBe('no');
  });

  it('a policy variable resolves from the context, and one that cannot be resolved is undecidable', () => {
    const p = inline('V', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::edgi-bucket/${aws:username}/*' });
    expect(evaluate([p], undefined, { action: 's3:GetObject', resource: 'arn:aws:s3:::edgi-bucket/edgi_user/a', context: { 'aws:username': 'edgi_user' } }).decision).toBe('allowed');
    expect(evaluate([p], undefined, { action: 's3:GetObject', resource: 'arn:aws:s3:::edgi-bucket/edgi_user/a' })).toEqual({
      decision: 'undecidable',
      by: { policy: p, sid: '#1' },
      why: 'the policy variable ${aws:username} in resource arn:aws:s3:::edgi-bucket/${aws:username}/* cannot be resolved',
    });
    expect(resourceMatches('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/x').kind).toBe('no');
    expect(resourceMatches('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/*').kind).toBe('yes');
  });

  it('an Allow whose Condition cannot be decided is undecidable, never allowed', () => {
    const p = managed('C', { Sid: 'OnlyVpce', Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } });
    expect(evaluate([p], undefined, { action: 's3:PutObject', resource: OBJECT })).toEqual({
      decision: 'undecidable',
      by: { policy: p, sid: 'OnlyVpce' },
      why: 'the condition StringEquals on aws:SourceVpce depends on a request value the doctor cannot know',
    });
  });

  it('an unconditional Allow elsewhere decides despite a conditional one', () => {
    const c = managed('C', { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    const plain = inline('P', { Effect: 'Allow', Action: 's3:PutObject', Resource: `${BUCKET}/*` });
    expect(evaluate([c, plain], undefined, { action: 's3:PutObject', resource: OBJECT }).decision).toBe('allowed');
  });

  it('a Deny whose Condition cannot be decided makes an allowed request undecidable', () => {
    const allow = inline('A', { Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const deny = inline('D', { Sid: 'NoHttp', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } });
    const d = evaluate([allow, deny], undefined, { action: 's3:GetObject', resource: OBJECT });
    expect(d).toEqual({ decision: 'undecidable', by: { policy: deny, sid: 'NoHttp' }, why: 'the condition Bool on aws:SecureTransport depends on a request value the doctor cannot know' });
  });

  it('a Condition on a known context key is decided', () => {
    expect(conditionMatches({ StringEquals: { 'aws:PrincipalAccount': '123456789012' } }, { 'aws:PrincipalAccount': '123456789012' })).toEqual({ kind: 'yes' });
    expect(conditionMatches({ StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } }, { 'aws:requestedregion': 'us-east-1' })).toEqual({ kind: 'no' });
    expect(conditionMatches({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/AskEdgi*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/AskEdgiEcsTaskRole' })).toEqual({ kind: 'yes' });
    expect(conditionMatches({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, {}).kind).toBe('maybe');
  });

  it('a key known to be absent is decided as AWS does: IfExists, Null true and negated operators hold, others do not', () => {
    const absent = ['aws:MultiFactorAuthPresent'];
    expect(conditionMatches({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, {}, absent)).toEqual({ kind: 'yes' });
    expect(conditionMatches({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, {}, absent)).toEqual({ kind: 'no' });
    expect(conditionMatches({ Null: { 'aws:multifactorauthpresent': 'true' } }, {}, absent)).toEqual({ kind: 'yes' });
    expect(conditionMatches({ Null: { 'aws:MultiFactorAuthPresent': 'false' } }, {}, absent)).toEqual({ kind: 'no' });
    expect(conditionMatches({ StringNotEquals: { 'aws:MultiFactorAuthPresent': 'true' } }, {}, absent)).toEqual({ kind: 'yes' });
    expect(conditionMatches({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, {})).toMatchObject({ kind: 'maybe' });
    // The AWS "force MFA" policy: it denies a long-term access key's calls when written with BoolIfExists, not with Bool.
    const allow = inline('A', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' });
    const force = (op: string) => inline('ForceMFA', { Sid: 'BlockMostAccessUnlessSignedInWithMFA', Effect: 'Deny', NotAction: ['iam:ListMFADevices', 'sts:GetSessionToken'], Resource: '*', Condition: { [op]: { 'aws:MultiFactorAuthPresent': 'false', 'aws:ViaAWSService': 'false' } } });
    const req = { action: 'sqs:ReceiveMessage', resource: 'arn:aws:sqs:us-east-1:123456789012:acme-q', context: { 'aws:ViaAWSService': 'false' }, absent };
    expect(evaluate([allow, force('BoolIfExists')], undefined, req)).toMatchObject({ decision: 'explicit-deny', by: { sid: 'BlockMostAccessUnlessSignedInWithMFA' } });
    expect(evaluate([allow, force('Bool')], undefined, req).decision).toBe('allowed');
  });

  it('a Deny whose decided Condition does not hold does not deny', () => {
    const allow = inline('A', { Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' });
    const deny = inline('D', { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } });
    expect(evaluate([allow, deny], undefined, { action: 'ecs:RunTask', resource: '*', context: { 'aws:RequestedRegion': 'us-east-1' } }).decision).toBe('allowed');
    expect(evaluate([allow, deny], undefined, { action: 'ecs:RunTask', resource: '*', context: { 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('explicit-deny');
  });

  it('ignores statements without Action/NotAction or Resource/NotResource, and malformed documents', () => {
    const p = inline('Bad', [{ Effect: 'Allow', Action: 's3:*' }, { Effect: 'Allow', Resource: '*' }, 'junk', null]);
    expect(evaluate([p, { origin: 'inline', name: 'x', document: 'not json' }], undefined, { action: 's3:GetObject', resource: OBJECT }).decision).toBe('implicit-deny');
  });

  it('describes where a policy comes from', () => {
    expect(describePolicy(managed('AskEdgi_ECS_Policy', [], 'v3'))).toBe('managed policy AskEdgi_ECS_Policy (v3)');
    expect(describePolicy({ origin: 'group-inline', name: 'p', group: 'edgi', document: {} })).toBe('inline policy p of group edgi');
    expect(describePolicy(boundary([]))).toBe('permissions boundary Cap (v2)');
  });
});
