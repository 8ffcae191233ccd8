// Masking of secrets in everything the doctor writes. Two layers, applied at every output sink
// (stdout, stderr, report files, audit lines, screenshot names):
//  - known values: what the doctor itself resolved or read (env: references of the config, the
//    database URL and password, Secrets Manager values, secret-named environment values), kept in a
//    process-wide registry and replaced wherever they occur, in the encodings they are written in;
//  - shapes: secrets it does not know, recognised by the rules of ./patterns.ts.
import { isSecretName } from './names.js';
import { NOT_A_SECRET, SECRET_SHAPES } from './patterns.js';

export const MASK = '<redacted>';
/** The mark as XML, HTML and Markdown text carry it (an already-masked value, not a secret). */
export const ESCAPED_MASK = '&lt;redacted&gt;';

/** Values shorter than this are not registered: masking "abc" everywhere would garble the output. */
export const MIN_KNOWN_LENGTH = 4;

const known = new Set<string>();
// The registered forms by their first two UTF-16 code units, each list longest first, and a 64 Ki-bit
// filter over those two units' low bytes: maskKnown reads the text once, whatever the number of
// registered values (a fleet registers every customer's secrets in one process; a loop over the
// values made each report cost grow with the size of the fleet).
const byPrefix = new Map<number, string[]>();
const pairFilter = new Uint8Array(65536);
const prefixKey = (s: string, i: number) => ((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1)) >>> 0;
const pairBits = (s: string, i: number) => ((s.charCodeAt(i) & 0xff) << 8) | (s.charCodeAt(i + 1) & 0xff);

function add(v: string): void {
  if (v.length < MIN_KNOWN_LENGTH || v === MASK || known.has(v)) return;
  known.add(v);
  const key = prefixKey(v, 0);
  const list = byPrefix.get(key) ?? [];
  const at = list.findIndex((w) => w.length < v.length);
  list.splice(at === -1 ? list.length : at, 0, v);
  byPrefix.set(key, list);
  pairFilter[pairBits(v, 0)] = 1;
}

const htmlEscaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Registers a value the doctor knows to be secret; from now on it is masked in every output, also
 * as it appears URL-encoded, JSON-escaped and HTML/XML-escaped.
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return;
  const v = value.trim() === value ? value : value.trim();
  if (v.length < MIN_KNOWN_LENGTH || NOT_A_SECRET.test(v) || isIdentifier(v)) return;
  for (const form of [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1), htmlEscaped(v), JSON.stringify(JSON.stringify(v).slice(1, -1)).slice(1, -1)]) add(form);
}

/**
 * A value that is wholly an identifier of a shape rule (an access key id): the doctor names it in its
 * findings (which key a task definition uses), so it is not registered even when it was read out of a
 * secret next to the key it identifies (README "Secrets").
 */
function isIdentifier(v: string): boolean {
  return WHOLE_IDENTIFIERS.some((re) => re.test(v));
}

/** The identifier rules of ./patterns.ts anchored to a whole value, built once. */
const WHOLE_IDENTIFIERS = SECRET_SHAPES.filter((rule) => rule.identifier).map((rule) => new RegExp(`^(?:${rule.regex.source})$`, rule.regex.flags.replace('g', '')));

/** A Secrets Manager value: the whole string and, for a JSON object, each secret-named or long string value. */
export function registerSecretString(text: string | undefined): void {
  if (!text) return;
  registerSecret(text);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
        // host, port, username and dbname of an RDS secret are no secrets; the password and keys are.
        if ((typeof v === 'string' || typeof v === 'number') && (isSecretName(k) || !/^(host|hostname|port|username|user|dbname|database|engine|dbInstanceIdentifier|dbClusterIdentifier)$/i.test(k))) registerSecret(String(v));
      }
    }
  } catch {
    // Not JSON: the whole string is registered.
  }
}

/** A database URL: the whole URL and its password (decoded as well as encoded). */
export function registerDbUrl(url: string | undefined): void {
  if (!url) return;
  registerSecret(url);
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]*)@/i.exec(url);
  if (m?.[1]) {
    registerSecret(m[1]);
    try {
      registerSecret(decodeURIComponent(m[1]));
    } catch {
      // A malformed escape: the raw form is registered.
    }
  }
}

/** How many distinct forms are registered (for tests). */
export const knownSecretCount = () => known.size;

/** Forget every registered value (tests only). */
export function clearKnownSecrets(): void {
  known.clear();
  byPrefix.clear();
  pairFilter.fill(0);
}

/** Up to this many registered forms, each is searched with indexOf (fast for a few); above, one scan. */
const SEARCH_EACH_LIMIT = 128;

/** [start, end) of every occurrence of a registered value in `text` (at least the longest at each start). */
function occurrences(text: string): [number, number][] {
  const spans: [number, number][] = [];
  if (known.size <= SEARCH_EACH_LIMIT) {
    for (const v of known) for (let i = text.indexOf(v); i !== -1; i = text.indexOf(v, i + 1)) spans.push([i, i + v.length]);
    return spans.sort((a, b) => a[0] - b[0]);
  }
  for (let i = 0; i + MIN_KNOWN_LENGTH <= text.length; i += 1) {
    if (pairFilter[pairBits(text, i)] === 0) continue;
    // Longest first: the first value found here is the longest one starting here.
    const v = byPrefix.get(prefixKey(text, i))?.find((w) => text.startsWith(w, i));
    if (v !== undefined) spans.push([i, i + v.length]);
  }
  return spans;
}

/**
 * Every occurrence of a registered value replaced by the mark. Occurrences that overlap (two secrets
 * sharing characters) are one masked span: no part of either is left.
 */
export function maskKnown(text: string): string {
  if (known.size === 0 || text.length < MIN_KNOWN_LENGTH) return text;
  const spans = occurrences(text);
  if (spans.length === 0) return text;
  let out = '';
  let emitted = 0;
  let [start, end] = spans[0]!;
  for (const [s, e] of spans) {
    if (s < end) {
      end = Math.max(end, e);
      continue;
    }
    out += text.slice(emitted, start) + MASK;
    emitted = end;
    [start, end] = [s, e];
  }
  return out + text.slice(emitted, start) + MASK + text.slice(end);
}

/** Masks secrets by their shape (./patterns.ts); with `secretsOnly`, identifiers (access key ids) are left. */
export function maskByShape(text: string, opts: { secretsOnly?: boolean } = {}): string {
  if (!text) return text;
  let out = text;
  for (const rule of SECRET_SHAPES) {
    if (opts.secretsOnly && rule.identifier) continue;
    out = out.replace(rule.regex, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args[args.length - 1] as Record<string, string | undefined>;
      const secret = groups.secret ?? '';
      if (!secret || secret.startsWith(MASK) || secret.startsWith(ESCAPED_MASK)) return match;
      if (rule.except?.test(secret)) return match;
      if (rule.nameMustBeSecret && !isSecretName(groups.name ?? '')) return match;
      return `${groups.pre ?? ''}${MASK}${match.slice((groups.pre ?? '').length + secret.length)}`;
    });
  }
  return out;
}

/**
 * Both layers: what the doctor knows, then what looks like a secret. At the output sinks access key
 * ids are left (AWS does not treat them as secrets, and checks name them on purpose, e.g. which IAM
 * user owns EDGI_AWS_ACCESS_ID); `identifiers: true` masks them too, for free text from the
 * deployment such as log lines.
 */
export function maskSecrets(text: string, opts: { identifiers?: boolean } = {}): string {
  return maskByShape(maskKnown(text), { secretsOnly: !opts.identifiers });
}

/**
 * The config's env:NAME references, resolved: each value is registered as known (the database URL
 * with its password). User names are not registered: they are no secrets, and masking them would
 * hide which account a message is about.
 */
export function registerEnvReferences(raw: unknown, env: NodeJS.ProcessEnv, key = ''): void {
  if (typeof raw === 'string') {
    const m = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(raw);
    if (!m || /^(user|username|user_?name)$/i.test(key)) return;
    const value = env[m[1]!];
    if (/url$/i.test(key)) registerDbUrl(value);
    else registerSecret(value);
    return;
  }
  if (Array.isArray(raw)) for (const v of raw) registerEnvReferences(v, env, key);
  else if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw as Record<string, unknown>)) registerEnvReferences(v, env, k);
}

type Write = typeof process.stdout.write;
const guarded = new WeakSet<NodeJS.WriteStream>();

/** Every write to stdout and stderr goes through maskSecrets (once per stream; idempotent). */
export function guardStdio(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    const original = stream.write.bind(stream) as Write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      const masked = text === undefined ? chunk : maskSecrets(text);
      return (original as (c: unknown, ...r: unknown[]) => boolean)(masked, ...rest);
    }) as Write;
  }
}
