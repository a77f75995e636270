import { describe, expect, it } from 'vitest';
import { clientKey, ipv6Bytes } from './ip.ts';

describe('clientKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts every address of one IPv6 /64 as one client, and different /64s apart', () => {
    const a = clientKey('2001:db8:1:2::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:eeee:dddd:cccc')).toBe(a);
    expect(clientKey('2001:0db8:0001:0002:0000:0000:0000:0abc')).toBe(a);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(a);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address, and drops a zone', () => {
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('ipv6Bytes', () => {
  it('expands compressed and dotted forms', () => {
    expect(ipv6Bytes('::1')).toEqual([...Array<number>(15).fill(0), 1]);
    expect(ipv6Bytes('64:ff9b::192.0.2.33').slice(12)).toEqual([192, 0, 2, 33]);
  });
});
