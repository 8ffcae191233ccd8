// Text from the deployment (AWS values, database rows, log lines) made inert for a reader: control
// characters, bidi controls and lone surrogates become visible escapes (so a value can neither move
// the cursor nor reorder a line, in a terminal or a browser), newlines are kept or escaped, and a
// very long value is cut with its length shown. Shared by the console, HTML and JUnit reports and
// the remediation plan text.

/** Unicode bidirectional controls (Trojan Source): ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI. */
export const BIDI_CONTROLS: ReadonlySet<number> = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

/** The longest value a report shows in full; longer ones are cut with their length shown. */
export const MAX_SHOWN_LENGTH = 2000;

function escapeCodeUnit(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` cut to `max` characters (code points), with the full length shown: "abc… [12000 characters, cut]". */
export function truncateText(text: string, max = MAX_SHOWN_LENGTH): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}… [${chars.length} characters, cut to ${max}]`;
}

export interface InertOptions {
  /** keep: newlines stay (the caller indents continuation lines); escape: shown as \n (one-line fields). Default keep. */
  newlines?: 'keep' | 'escape';
  /** Cut longer values (code points), length shown; default MAX_SHOWN_LENGTH; Infinity: never. */
  maxLength?: number;
}

/** Untrusted text made inert: see the module comment. Tabs become spaces; \r is escaped. */
export function inertText(text: string, opts: InertOptions = {}): string {
  const cut = truncateText(text, opts.maxLength ?? MAX_SHOWN_LENGTH);
  let out = '';
  for (const ch of cut) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += opts.newlines === 'escape' ? '\\n' : '\n';
    else if (ch === '\t') out += ' ';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || BIDI_CONTROLS.has(code) || (code >= 0xd800 && code <= 0xdfff)) out += escapeCodeUnit(code);
    else out += ch;
  }
  return out;
}
