// A pure evaluator of identity-based IAM policies for one principal in its own account, after
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html :
// an explicit Deny in any policy (identity or boundary) wins; otherwise an identity policy must
// Allow, and a permissions boundary, when set, must Allow too; everything else is an implicit deny.
// Resource policies, SCPs and session policies are out of scope (the doctor reads none of them).
// A statement whose Condition or policy variable cannot be decided here makes the answer
// `undecidable` when it could change the outcome: the caller reports that as a warn, never a pass.

/** Where a policy reaches the principal from. */
export type PolicyOrigin = 'managed' | 'inline' | 'group-managed' | 'group-inline' | 'boundary';

export interface PolicySource {
  origin: PolicyOrigin;
  /** The policy's name (for an inline policy of a group: the policy name). */
  name: string;
  /** Managed policy ARN, when there is one. */
  arn?: string;
  /** The version the document is (managed: the default version). */
  versionId?: string;
  /** The group a group policy comes from. */
  group?: string;
  /** The parsed JSON document (any shape: it is untrusted input). */
  document: unknown;
}

/** Request context values the caller knows (e.g. aws:username, aws:PrincipalAccount). */
export type RequestContext = Record<string, string>;

export interface EvalRequest {
  action: string;
  resource: string;
  context?: RequestContext;
  /**
   * Condition keys known NOT to be in the request (e.g. aws:MultiFactorAuthPresent for a call signed
   * with an IAM user's long-term access key). For them AWS decides: an ...IfExists condition holds,
   * Null "true" holds, a negated operator holds, any other operator does not. Keys neither in
   * `context` nor here stay unknown (undecidable).
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
   */
  absent?: readonly string[];
}

export interface StatementRef {
  policy: PolicySource;
  /** The statement's Sid, or its index in the policy ("#2"). */
  sid: string;
}

export type Decision =
  | { decision: 'allowed'; by: StatementRef }
  | { decision: 'explicit-deny'; by: StatementRef }
  /** `boundary`: identity policies allow but the boundary does not. `no-allow`: nothing allows. */
  | { decision: 'implicit-deny'; reason: 'no-allow' | 'boundary'; boundary?: PolicySource }
  | { decision: 'undecidable'; by: StatementRef; why: string };

/** A statement's relevance to a request: it applies, does not, or might (why says what could not be decided). */
type Match = { kind: 'yes' } | { kind: 'no' } | { kind: 'maybe'; why: string };

interface Statement {
  Sid?: unknown;
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

export function statementsOf(document: unknown): Statement[] {
  if (!document || typeof document !== 'object') return [];
  const s = (document as { Statement?: unknown }).Statement;
  if (Array.isArray(s)) return s.filter((x): x is Statement => !!x && typeof x === 'object');
  if (s && typeof s === 'object') return [s as Statement];
  return [];
}

const asList = (v: unknown): string[] | undefined =>
  typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** `*` any run of characters, `?` exactly one; everything else literal. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative wildcard match (no regular expression built from untrusted text).
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

const ESCAPES: Record<string, string> = { '${*}': '*', '${?}': '?', '${$}': '$' };

/**
 * Substitutes policy variables in a Resource pattern. Returns undefined (undecidable) when a
 * variable has no value in the context; `${*}`, `${?}`, `${$}` are literal characters, which is why
 * they come back escaped as a private marker the matcher treats literally.
 */
function substitute(pattern: string, context: RequestContext): { value: string; literal: Set<number> } | { missing: string } {
  let out = '';
  const literal = new Set<number>();
  let i = 0;
  while (i < pattern.length) {
    if (pattern.startsWith('${', i)) {
      const end = pattern.indexOf('}', i);
      if (end < 0) {
        out += pattern.slice(i);
        break;
      }
      const token = pattern.slice(i, end + 1);
      const escaped = ESCAPES[token];
      if (escaped !== undefined) {
        literal.add(out.length);
        out += escaped;
      } else {
        const inner = token.slice(2, -1);
        const [key, dflt] = splitDefault(inner);
        const value = lookup(context, key) ?? dflt;
        if (value === undefined) return { missing: key };
        out += value;
      }
      i = end + 1;
    } else {
      out += pattern[i];
      i++;
    }
  }
  return { value: out, literal };
}

function splitDefault(inner: string): [string, string | undefined] {
  // ${aws:username, 'default'} — a default value in single quotes.
  const m = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/.exec(inner);
  return m ? [m[1]!, m[2]!] : [inner.trim(), undefined];
}

/** Condition keys are case-insensitive. */
function lookup(context: RequestContext, key: string): string | undefined {
  const k = Object.keys(context).find((c) => c.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : context[k];
}

/**
 * Resource patterns are case-sensitive; `*` and `?` are wildcards except at positions in `literal`
 * (escaped with ${*} / ${?}). A `*` stays within its colon-separated ARN segment unless it is the
 * segment's last character, which "can expand to match beyond the colon boundaries"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
function arnGlob(pattern: string, literal: Set<number>, value: string): boolean {
  const memo = new Map<number, boolean>();
  const match = (pi: number, vi: number): boolean => {
    const key = pi * (value.length + 1) + vi;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (pi === pattern.length) result = vi === value.length;
    else {
      const ch = pattern[pi]!;
      const wild = !literal.has(pi);
      if (wild && ch === '*') {
        const crosses = pi + 1 === pattern.length || pattern[pi + 1] === ':';
        result = false;
        for (let k = vi; k <= value.length; k++) {
          if (match(pi + 1, k)) {
            result = true;
            break;
          }
          if (k < value.length && value[k] === ':' && !crosses) break;
        }
      } else if (vi >= value.length) result = false;
      else if (wild && ch === '?') result = match(pi + 1, vi + 1);
      else result = value[vi] === ch && match(pi + 1, vi + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** Whether a Resource pattern (policy variables substituted from the context) covers the resource ARN. */
export function resourceMatches(pattern: string, resource: string, context: RequestContext = {}): Match {
  const sub = substitute(pattern, context);
  if ('missing' in sub) return { kind: 'maybe', why: `the policy variable \${${sub.missing}} in resource ${pattern} cannot be resolved` };
  return { kind: arnGlob(sub.value, sub.literal, resource) ? 'yes' : 'no' };
}

const STRING_OPS: Record<string, (cond: string, val: string) => boolean> = {
  stringequals: (c, v) => c === v,
  stringequalsignorecase: (c, v) => c.toLowerCase() === v.toLowerCase(),
  stringlike: (c, v) => globMatch(c, v, false),
  arnequals: (c, v) => resourceMatches(c, v).kind === 'yes',
  arnlike: (c, v) => resourceMatches(c, v).kind === 'yes',
  bool: (c, v) => c.toLowerCase() === v.toLowerCase(),
};
const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
};

/** Operators that hold when their key is absent from the request (besides any ...IfExists). */
const NEGATED_ANY = new Set([...Object.keys(NEGATED), 'numericnotequals', 'datenotequals', 'notipaddress']);

/** Evaluates a Condition block: all operators and keys must hold. Unknown keys or operators are `maybe`. */
export function conditionMatches(condition: unknown, context: RequestContext = {}, absent: readonly string[] = []): Match {
  if (condition === undefined) return { kind: 'yes' };
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return { kind: 'maybe', why: 'the Condition block is malformed' };
  let maybe: Match | undefined;
  for (const [rawOp, block] of Object.entries(condition as Record<string, unknown>)) {
    const op = rawOp.toLowerCase();
    if (!block || typeof block !== 'object') return { kind: 'maybe', why: `the condition ${rawOp} is malformed` };
    for (const [key, rawValues] of Object.entries(block as Record<string, unknown>)) {
      const values = asList(rawValues) ?? (typeof rawValues === 'boolean' ? [String(rawValues)] : undefined);
      const describe = `the condition ${rawOp} on ${key}`;
      if (!values) return { kind: 'maybe', why: `${describe} is malformed` };
      const actual = lookup(context, key);
      const base = op.replace(/ifexists$/, '');
      if (actual === undefined && !op.includes(':') && absent.some((k) => k.toLowerCase() === key.toLowerCase())) {
        // The key is known to be absent: AWS's rules for a missing key decide.
        const holds = op.endsWith('ifexists') || NEGATED_ANY.has(base) || (base === 'null' && values.every((v) => v.toLowerCase() === 'true'));
        if (!holds) return { kind: 'no' };
        continue;
      }
      const known = STRING_OPS[base] ?? (NEGATED[base] ? STRING_OPS[NEGATED[base]!] : undefined);
      if (op.includes(':') || !known) {
        maybe ??= { kind: 'maybe', why: `${describe} cannot be evaluated here` };
        continue;
      }
      if (actual === undefined) {
        maybe ??= { kind: 'maybe', why: `${describe} depends on a request value the doctor cannot know` };
        continue;
      }
      const hit = values.some((c) => known(c, actual));
      const holds = NEGATED[base] ? !hit : hit;
      if (!holds) return { kind: 'no' };
    }
  }
  return maybe ?? { kind: 'yes' };
}

/** Whether one statement applies to the request (ignoring its Effect). */
export function statementMatches(st: Statement, req: EvalRequest): Match {
  const context = req.context ?? {};
  const actions = asList(st.Action);
  const notActions = asList(st.NotAction);
  if (actions) {
    if (!actions.some((a) => actionMatches(a, req.action))) return { kind: 'no' };
  } else if (notActions) {
    if (notActions.some((a) => actionMatches(a, req.action))) return { kind: 'no' };
  } else {
    return { kind: 'no' };
  }
  const resources = asList(st.Resource);
  const notResources = asList(st.NotResource);
  let resourceMaybe: Match | undefined;
  if (resources) {
    const results = resources.map((r) => resourceMatches(r, req.resource, context));
    if (!results.some((r) => r.kind === 'yes')) {
      resourceMaybe = results.find((r) => r.kind === 'maybe');
      if (!resourceMaybe) return { kind: 'no' };
    }
  } else if (notResources) {
    const results = notResources.map((r) => resourceMatches(r, req.resource, context));
    if (results.some((r) => r.kind === 'yes')) return { kind: 'no' };
    resourceMaybe = results.find((r) => r.kind === 'maybe');
  } else {
    return { kind: 'no' };
  }
  const cond = conditionMatches(st.Condition, context, req.absent);
  if (cond.kind === 'no') return cond;
  return resourceMaybe ?? cond;
}

function sidOf(st: Statement, index: number): string {
  return typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : `#${index + 1}`;
}

interface Scan {
  yes?: StatementRef;
  maybe?: { ref: StatementRef; why: string };
}

function scan(policies: readonly PolicySource[], effect: 'Allow' | 'Deny', req: EvalRequest): Scan {
  const out: Scan = {};
  for (const policy of policies) {
    statementsOf(policy.document).forEach((st, i) => {
      if (st.Effect !== effect || out.yes) return;
      const m = statementMatches(st, req);
      const ref = { policy, sid: sidOf(st, i) };
      if (m.kind === 'yes') out.yes = ref;
      else if (m.kind === 'maybe') out.maybe ??= { ref, why: m.why };
    });
    if (out.yes) break;
  }
  return out;
}

/** Decides one request for one principal: identity policies plus an optional permissions boundary. */
export function evaluate(identity: readonly PolicySource[], boundary: PolicySource | undefined, req: EvalRequest): Decision {
  const all = boundary ? [...identity, boundary] : identity;
  const deny = scan(all, 'Deny', req);
  if (deny.yes) return { decision: 'explicit-deny', by: deny.yes };
  const allow = scan(identity, 'Allow', req);
  if (!allow.yes && !allow.maybe) return { decision: 'implicit-deny', reason: 'no-allow' };
  let bound: Scan = {};
  if (boundary) {
    bound = scan([boundary], 'Allow', req);
    if (!bound.yes && !bound.maybe) return { decision: 'implicit-deny', reason: 'boundary', boundary };
  }
  if (deny.maybe) return { decision: 'undecidable', by: deny.maybe.ref, why: deny.maybe.why };
  if (!allow.yes) return { decision: 'undecidable', by: allow.maybe!.ref, why: allow.maybe!.why };
  if (boundary && !bound.yes) return { decision: 'undecidable', by: bound.maybe!.ref, why: bound.maybe!.why };
  return { decision: 'allowed', by: allow.yes };
}

/** "managed policy AskEdgi_ECS_Policy (v3)", "inline policy x of group g", "permissions boundary b". */
export function describePolicy(p: PolicySource): string {
  const version = p.versionId ? ` (${p.versionId})` : '';
  switch (p.origin) {
    case 'managed':
      return `managed policy ${p.name}${version}`;
    case 'inline':
      return `inline policy ${p.name}`;
    case 'group-managed':
      return `managed policy ${p.name}${version} of group ${p.group ?? '?'}`;
    case 'group-inline':
      return `inline policy ${p.name} of group ${p.group ?? '?'}`;
    case 'boundary':
      return `permissions boundary ${p.name}${version}`;
  }
}
