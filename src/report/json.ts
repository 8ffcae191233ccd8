// Machine-readable reporter: the report as is, schemaVersion first.

import type { Report } from '../model.js';

// JSON.stringify escapes C0 controls but emits DEL, C1 controls, bidi controls and U+2028/U+2029 raw;
// as \uXXXX escapes they parse back to the same strings and stay inert when the file is printed.
const UNSAFE_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function renderJson(report: Report): string {
  const { schemaVersion, ...rest } = report;
  const json = JSON.stringify({ schemaVersion, ...rest }, null, 2);
  return `${json.replace(UNSAFE_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
