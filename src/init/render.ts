// The config `init` writes: a YAML document built with the yaml package's Document API, every value
// with a comment saying where it came from, every decision commented out with its candidates.
import { Document, isMap, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { inertText } from '../text/inert.js';
import { isDecision, type Discovery, type Entry } from './discover.js';

/** Comment text from AWS is untrusted: one line (newlines and control characters escaped, the Unicode line separators too). */
const oneLine = (s: string) => inertText(s, { newlines: 'escape', maxLength: 500 }).replace(/[\u2028\u2029]/g, ' ').trim();

/** A value as it would stand in YAML, for a commented-out line. */
const inline = (v: unknown) => new Document(v).toString({ lineWidth: 0 }).trim().replace(/\n/g, ' ');

const appendComment = (node: { comment?: string | null }, text: string) => {
  node.comment = node.comment ? `${node.comment}\n${text}` : text;
};

/** What the user must decide, one line each: "securityGroups.efs: 2 candidates …: sg-a (…) | sg-b (…)". */
export function decisions(d: Discovery): string[] {
  return d.entries.filter(isDecision).map((e) => {
    const list = e.candidates.map((c) => `${inline(c.value)} (${oneLine(c.from)})`).join(' | ');
    return `${e.path.join('.')}: ${oneLine(e.decide)}${list ? `: ${list}` : ''}`;
  });
}

export interface RenderOptions {
  /** The `$schema` reference for the YAML language server (a relative path or URL). */
  schema: string;
  /** The header's second line: when and how the file was written. */
  header: string;
}

/** The YAML text of the discovered config. */
export function renderConfig(d: Discovery, opts: RenderOptions): string {
  const doc = new Document({});
  const root = doc.contents as YAMLMap;
  const values = d.entries.filter((e): e is Exclude<Entry, { decide: string }> => !isDecision(e));
  for (const e of values) {
    doc.setIn(e.path, doc.createNode(e.value));
    const node = doc.getIn(e.path, true) as Scalar | YAMLMap | YAMLSeq;
    const comment = ` from ${oneLine(e.from)}`;
    // A scalar takes its comment on its own line; a collection gets it above its key.
    if (isMap(node) || 'items' in node) {
      const parent = e.path.length > 1 ? (doc.getIn(e.path.slice(0, -1), true) as YAMLMap) : root;
      const pair = parent.items.find((p) => (p.key as Scalar).value === e.path[e.path.length - 1]);
      if (pair) (pair.key as Scalar).commentBefore = comment;
    } else {
      node.comment = comment;
    }
  }
  // Decisions: commented-out lines with every candidate, inside the section they belong to.
  for (const e of d.entries.filter(isDecision)) {
    const key = e.path[e.path.length - 1]!;
    const parentPath = e.path.slice(0, -1);
    const parent = parentPath.length === 0 ? root : doc.getIn(parentPath, true);
    const lines = [` decide: ${oneLine(e.decide)}; uncomment the right one (askedgi-doctor run needs it)`];
    for (const c of e.candidates) lines.push(` ${key}: ${inline(c.value)} # ${oneLine(c.from)}`);
    if (parentPath.length === 0 || isMap(parent)) appendComment(parentPath.length === 0 ? doc : (parent as YAMLMap), lines.join('\n'));
    else appendComment(doc, [` ${parentPath.join('.')}:`, ...lines.map((l) => `   ${l.trimStart()}`)].join('\n'));
  }
  const notes = d.notes.map((n) => ` ${oneLine(n)}`);
  doc.commentBefore = [
    ` yaml-language-server: $schema=${opts.schema}`,
    ` ${oneLine(opts.header)}`,
    ' Every key not written here takes the runbook\'s default (README "Configuration").',
    ...(notes.length > 0 ? ['', ' Read from the task definitions at every run (not config keys):', ...notes] : []),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
