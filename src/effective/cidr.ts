// IPv4 CIDR arithmetic, one module for the security-group source matching of the checks
// (src/checks/support/sg.ts) and the effective network paths (src/effective/network.ts).

/** The addresses of a CIDR block, as numbers lo..hi (inclusive). */
export interface Range {
  lo: number;
  hi: number;
}

/** The address range of an IPv4 CIDR (host bits ignored: 10.20.1.5/16 is 10.20.0.0/16); undefined when it is not one. */
export function cidrRange(cidr: string): Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const lo = Math.floor(ip / size) * size;
  return { lo, hi: lo + size - 1 };
}

export const rangeContains = (outer: Range, inner: Range) => outer.lo <= inner.lo && inner.hi <= outer.hi;
export const rangesOverlap = (a: Range, b: Range) => a.lo <= b.hi && b.lo <= a.hi;

/** `outer` contains every address of `inner` (false when either is not an IPv4 CIDR). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = cidrRange(outer);
  const i = cidrRange(inner);
  return o !== undefined && i !== undefined && rangeContains(o, i);
}

export function sameCidr(a: string, b: string): boolean {
  return cidrContains(a, b) && cidrContains(b, a);
}
