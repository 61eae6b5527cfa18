import { z } from 'zod';
import { loadConfig, trustProxySchema } from './config';

describe('loadConfig: configuration fails at boot, naming the variable but never its value', () => {
  const schema = z.object({ PORT: z.coerce.number().int().max(65535).default(8085), CLIENT_SECRET: z.string().min(12) });

  it('applies defaults and coerces', () => {
    expect(loadConfig(schema, { CLIENT_SECRET: 'a-long-enough-secret' })).toEqual({ PORT: 8085, CLIENT_SECRET: 'a-long-enough-secret' });
  });

  it('lists every bad variable and does not echo secrets', () => {
    let message = '';
    try {
      loadConfig(schema, { PORT: '99999', CLIENT_SECRET: 'short-pw' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid configuration:/);
    expect(message).toContain('PORT');
    expect(message).toContain('CLIENT_SECRET');
    expect(message).not.toContain('short-pw');
  });
});

describe('TRUST_PROXY (trustProxySchema): which proxies X-Forwarded-* is believed from', () => {
  const schema = z.object({ TRUST_PROXY: trustProxySchema });
  const parse = (value?: string) => loadConfig(schema, value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

  it('trusts no proxy by default', () => {
    expect(parse()).toBe(false);
    expect(parse('')).toBe(false);
  });

  it('takes addresses, CIDR ranges and proxy-addr range names, comma-separated', () => {
    expect(parse('10.0.0.0/8, 127.0.0.1,::1 , fd00::/8,loopback,uniquelocal')).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
      'uniquelocal',
    ]);
  });

  it.each(['true', '*', '1', 'proxy.example', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', '300.1.1.1'])(
    'refuses %p at boot: "trust everyone" or a name would let any client forge its address',
    (value) => {
      expect(() => parse(value)).toThrow(/TRUST_PROXY/);
    },
  );
});
