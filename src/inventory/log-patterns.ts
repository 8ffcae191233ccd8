// CloudWatch Logs filter patterns for the error search (step 10).
//
// Patterns are case-sensitive, and a term with characters other than letters and digits must be
// in double quotes (a leading `-` would exclude instead of match); `?"A" ?"B"` matches events with
// any of the terms (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
//
// Decision on case: each configured term is searched as written and in its three usual spellings,
// UPPER, lower and Capitalized, so ERROR, Error and error are all counted (a term such as
// "Exception" gives Exception, EXCEPTION, exception). Other mixed spellings (eRRoR) are not.

/** The spellings searched for a term: as written, UPPER, lower, Capitalized; no duplicates. */
export function caseVariants(term: string): string[] {
  const lower = term.toLowerCase();
  return [...new Set([term, term.toUpperCase(), lower, lower.charAt(0).toUpperCase() + lower.slice(1)])];
}

/** A term as a quoted filter-pattern term (quotes and backslashes in it escaped). */
export function quoteTerm(term: string): string {
  return `"${term.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** AWS's limit on a filter pattern's length. */
const MAX_PATTERN = 1024;

/**
 * The filter patterns that together find every event containing any term in any of its spellings:
 * one `?"A" ?"B" …` pattern (split only when it would exceed 1 024 characters) when `combine`,
 * else one quoted term per pattern (moto understands one term or one quoted phrase per pattern).
 */
export function logFilterPatterns(terms: string[], combine: boolean): string[] {
  const quoted = [...new Set(terms.flatMap(caseVariants))].map(quoteTerm);
  if (!combine) return quoted;
  const patterns: string[] = [];
  let current = '';
  for (const q of quoted) {
    const next = current ? `${current} ?${q}` : `?${q}`;
    if (next.length > MAX_PATTERN && current) {
      patterns.push(current);
      current = `?${q}`;
    } else current = next;
  }
  if (current) patterns.push(current);
  return patterns;
}

/** Whether a message matches a term in one of the searched spellings (the fixture inventory's search). */
export function matchesAnyTerm(message: string, terms: string[]): boolean {
  return terms.flatMap(caseVariants).some((t) => message.includes(t));
}
