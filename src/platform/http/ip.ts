/** IP address helpers shared by the outbound URL guard and the rate limiter. */
import { isIP } from 'node:net';

/** The 16 bytes of an IPv6 address in text form (as the URL parser or DNS gives it). */
export function ipv6Bytes(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted.slice(1).map(Number));
    text = `${text.slice(0, dotted.index)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The key a client is counted under by per-IP limits. An IPv6 client is counted by its /64: one
 * subscriber is handed a whole /64 (RFC 6177), so counting single addresses would give it 2^64
 * fresh budgets. An IPv4-mapped IPv6 address counts as the IPv4 address it is.
 */
export function clientKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const b = ipv6Bytes(ip.replace(/%.*$/, ''));
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join('.');
  const hex = (i: number) => ((b[i]! << 8) | b[i + 1]!).toString(16);
  return `${hex(0)}:${hex(2)}:${hex(4)}:${hex(6)}::/64`;
}
