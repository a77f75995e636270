/**
 * The outbound URL guard. Real: node's URL parser, BlockList, node:http to a local server. Stand-in:
 * the name resolver (a map from names to addresses, so no DNS or network is needed).
 */
import type { lookup } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNonPublicAddress, NonPublicAddressError, outboundUrlProblem, postOutbound } from './outbound-url.ts';

const strict = { allowPrivate: false };

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.10',
    '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '2002:7f00:1::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::10.0.0.1', '64:ff9b:1::5', 'not-an-ip',
  ])('%s is not public', (ip) => expect(isNonPublicAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:93.184.216.34', '64:ff9b::8.8.8.8'])(
    '%s is public',
    (ip) => expect(isNonPublicAddress(ip)).toBe(false),
  );
});

describe('outboundUrlProblem', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://2130706433/', // 127.0.0.1 as one number
    'http://0x7f.1/', // hex, short form
    'http://017700000001/', // octal
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost:3000/',
    'http://api.localhost/',
    'http://LOCALHOST./',
    'http://intranet/',
    'ftp://example.com/',
    'http://user:pass@example.com/',
    'not a url',
  ])('refuses %s', (url) => expect(outboundUrlProblem(url, strict)).not.toBeNull());

  it.each(['https://hooks.example.com/atelier', 'http://93.184.216.34:8080/x', 'https://[2606:4700::1111]/'])('accepts %s', (url) =>
    expect(outboundUrlProblem(url, strict)).toBeNull(),
  );

  it('accepts private addresses when the policy allows them, but never other schemes or credentials', () => {
    expect(outboundUrlProblem('http://127.0.0.1:3000/', { allowPrivate: true })).toBeNull();
    expect(outboundUrlProblem('file:///etc/passwd', { allowPrivate: true })).not.toBeNull();
    expect(outboundUrlProblem('http://a:b@127.0.0.1/', { allowPrivate: true })).not.toBeNull();
  });
});

describe('postOutbound', () => {
  let server: http.Server;
  let port: number;
  const seen: { host?: string; body: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body });
        res.writeHead(req.url === '/moved' ? 302 : 204, req.url === '/moved' ? { location: 'http://127.0.0.1/elsewhere' } : {}).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** A resolver that knows only the names given, as dns.lookup with `all: true` answers. */
  const resolver = (names: Record<string, string[]>): typeof lookup =>
    ((hostname: string, _opts: unknown, cb: (err: Error | null, addrs: { address: string; family: number }[]) => void) => {
      const addrs = names[hostname];
      if (!addrs) return cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      cb(null, addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    }) as unknown as typeof lookup;
  const req = (body = '{}') => ({ headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) });

  it('refuses a name that resolves to a private address, before connecting', async () => {
    const before = seen.length;
    const resolve = resolver({ 'hooks.example.com': ['10.0.0.7'] });
    await expect(postOutbound(`http://hooks.example.com:${port}/`, req(), strict, resolve)).rejects.toBeInstanceOf(NonPublicAddressError);
    expect(seen.length).toBe(before);
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const resolve = resolver({ 'mixed.example.com': ['93.184.216.34', '127.0.0.1'] });
    const refused = await postOutbound(`http://mixed.example.com:${port}/`, req(), strict, resolve).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(NonPublicAddressError);
    expect(refused).toMatchObject({ message: 'mixed.example.com resolves to a non-public address', address: '127.0.0.1' });
  });

  it('refuses an IP literal without any lookup', async () => {
    await expect(postOutbound(`http://127.0.0.1:${port}/`, req(), strict, resolver({}))).rejects.toBeInstanceOf(NonPublicAddressError);
  });

  it('connects to the address it checked, and does not follow redirects', async () => {
    // Allowed here so the checked address can be the local server: the connection must go to
    // exactly what the resolver answered for the name.
    const resolve = resolver({ 'hooks.example.com': ['127.0.0.1'] });
    const status = await postOutbound(`http://hooks.example.com:${port}/hook`, req('{"a":1}'), { allowPrivate: true }, resolve);
    expect(status).toBe(204);
    expect(seen.at(-1)).toEqual({ host: `hooks.example.com:${port}`, body: '{"a":1}' });
    expect(await postOutbound(`http://hooks.example.com:${port}/moved`, req(), { allowPrivate: true }, resolve)).toBe(302);
    expect(seen.at(-1)!.host).toBe(`hooks.example.com:${port}`);
  });

  it('passes a resolver failure through as an ordinary (retryable) error', async () => {
    const err = await postOutbound(`http://nowhere.example.com:${port}/`, req(), strict, resolver({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(NonPublicAddressError);
  });
});
