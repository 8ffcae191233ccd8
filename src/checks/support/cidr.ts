// IPv4 CIDR arithmetic for security-group source matching.

function parse(cidr: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { base: Math.floor(ip / size) * size, bits };
}

/** `outer` contains every address of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parse(outer);
  const i = parse(inner);
  if (!o || !i || o.bits > i.bits) return false;
  const size = 2 ** (32 - o.bits);
  return Math.floor(i.base / size) * size === o.base;
}

export function sameCidr(a: string, b: string): boolean {
  return cidrContains(a, b) && cidrContains(b, a);
}
