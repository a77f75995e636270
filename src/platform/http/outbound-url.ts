/**
 * Server-side requests to addresses a user chose (webhook URLs) must not reach the machine itself,
 * the private network around it or a cloud metadata service (SSRF). Two checks:
 * - when the URL is given: http(s) only, no credentials, and a host that is neither an IP literal
 *   in a non-public range nor a name that can only be local (`localhost`, single labels);
 * - when connecting: the name is resolved once, refused if any of its addresses is non-public, and
 *   the connection goes to the address that was checked — a second resolution (DNS rebinding)
 *   never happens. Redirects are not followed.
 * The URL parser already turns odd spellings (`http://2130706433/`, `http://0x7f.1/`) into dotted
 * IPv4, so only canonical forms reach the address check.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ipv6Bytes } from './ip.ts';

// Every IANA special-purpose range that is not globally reachable, plus multicast and reserved.
const NON_PUBLIC_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const NON_PUBLIC_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: reaches whatever IPv4 address it embeds
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
];

const nonPublic = new BlockList();
for (const [net, prefix] of NON_PUBLIC_V4) nonPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of NON_PUBLIC_V6) nonPublic.addSubnet(net, prefix, 'ipv6');

/**
 * Whether an IP address is outside the public internet. An IPv6 address that embeds an IPv4 one
 * (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) is judged by the IPv4 address it reaches.
 */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return nonPublic.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: nothing to allow
  const b = ipv6Bytes(address);
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0);
  if (mapped || nat64) return nonPublic.check(b.slice(12).join('.'), 'ipv4');
  return nonPublic.check(address, 'ipv6');
}

export interface OutboundPolicy {
  /** Lets URLs reach private and local addresses (development, tests); never in production. */
  allowPrivate: boolean;
}

/** Why a user-given URL may not be called, or null when it may. */
export function outboundUrlProblem(raw: string, policy: OutboundPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (policy.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return isNonPublicAddress(host) ? 'must not point to a private, local or reserved address' : null;
  const name = host.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'must not point to this machine';
  // A single label resolves through the server's search domains: an internal host by design.
  if (!name.includes('.')) return 'must be a fully qualified public host name';
  return null;
}

/**
 * A refused destination. The message is safe to store where the user can read it (their delivery
 * records and data export); the address a name resolved to is kept apart, for the server's log only,
 * so a webhook URL cannot be used to map which internal names resolve where.
 */
export class NonPublicAddressError extends Error {
  readonly code = 'ENONPUBLIC';
  readonly address: string | undefined;
  constructor(message: string, address?: string) {
    super(message);
    this.address = address;
  }
}

/**
 * A `lookup` for node:http(s) and net.connect: resolves as dns.lookup does, then refuses the name
 * when any address it has is non-public (so a name cannot smuggle one in among public ones).
 */
export function guardedLookup(policy: OutboundPolicy, resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const bad = policy.allowPrivate ? undefined : list.find((a) => isNonPublicAddress(a.address));
      if (bad) return callback(new NonPublicAddressError(`${hostname} resolves to a non-public address`, bad.address), '', 0);
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface OutboundPost {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/**
 * POSTs to a user-given URL under the policy: the URL is checked again (the policy may have
 * changed since it was stored; IP literals never go through a lookup), the name resolved through
 * `guardedLookup`, redirects not followed. Resolves with the answer's status; the body is dropped.
 */
export async function postOutbound(raw: string, req: OutboundPost, policy: OutboundPolicy, resolve?: typeof dnsLookup): Promise<number> {
  const problem = outboundUrlProblem(raw, policy);
  if (problem) throw new NonPublicAddressError(`the URL ${problem}`);
  const url = new URL(raw);
  const { request } = url.protocol === 'https:' ? https : http;
  return new Promise<number>((done, fail) => {
    const body = Buffer.from(req.body);
    const r = request(
      url,
      { method: 'POST', headers: { ...req.headers, 'content-length': String(body.length) }, lookup: guardedLookup(policy, resolve), signal: req.signal },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    r.end(body);
  });
}
