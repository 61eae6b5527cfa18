import { aConfig } from '../testing/fixtures';
import { SecretVerificationCache } from './secret-verification-cache';

describe('SecretVerificationCache (docs/adr/0001)', () => {
  const cache = () => new SecretVerificationCache(aConfig({ SECRET_CACHE_TTL_SECONDS: '60' }));

  it('remembers a verified secret for its client and secret version only', () => {
    const c = cache();
    c.remember('a', 'secret', 1);
    expect(c.isVerified('a', 'secret', 1)).toBe(true);
    expect(c.isVerified('a', 'other', 1)).toBe(false);
    expect(c.isVerified('b', 'secret', 1)).toBe(false);
    expect(c.isVerified('a', 'secret', 2)).toBe(false);
  });

  it('does not confuse id/secret splits around the colon', () => {
    const c = cache();
    c.remember('a:b', 'c', 1);
    expect(c.isVerified('a', 'b:c', 1)).toBe(false);
  });

  it('forgets every entry of a client', () => {
    const c = cache();
    c.remember('a', 's1', 1);
    c.remember('b', 's2', 1);
    c.forget('a');
    expect(c.isVerified('a', 's1', 1)).toBe(false);
    expect(c.isVerified('b', 's2', 1)).toBe(true);
  });

  it('expires entries after the TTL', async () => {
    const c = new SecretVerificationCache(aConfig({ SECRET_CACHE_TTL_SECONDS: '1' }));
    c.remember('a', 's', 1);
    expect(c.isVerified('a', 's', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect(c.isVerified('a', 's', 1)).toBe(false);
  });

  it('keeps neither the secret nor the client id in its keys', () => {
    const c = cache();
    c.remember('client', 'super-secret', 1);
    const keys = [...(c as unknown as { cache: Map<string, unknown> }).cache.keys()];
    expect(keys.join()).not.toContain('super-secret');
    expect(keys.join()).not.toContain('client');
  });

  it('ends an entry at its deadline when one is given (a previous secret during a grace period)', async () => {
    const c = cache();
    c.remember('a', 'old', 1, undefined, Date.now() + 200);
    expect(c.isVerified('a', 'old', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.isVerified('a', 'old', 1)).toBe(false);
  });
});
