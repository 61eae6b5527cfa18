import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { resolveOptions, type BearerAuthOptions } from '../bearer-auth.options';
import { AuthorizationServerClient } from '../metadata/authorization-server.client';
import { IntrospectionTokenVerifier } from './introspection-token.verifier';

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IntrospectionTokenVerifier (RFC 7662, cached)', () => {
  let fake: FakeAuthServer;
  beforeAll(async () => (fake = await startFakeAuthServer()));
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.introspectionDelayMs = 0;
    fake.down = false;
  });

  function verifier(options: Partial<BearerAuthOptions> = {}): IntrospectionTokenVerifier {
    const resolved = resolveOptions({ authServerUrl: fake.issuer, mode: 'introspection', ...options });
    return new IntrospectionTokenVerifier(resolved, new AuthorizationServerClient(resolved));
  }

  async function callsDuring(action: () => Promise<unknown>): Promise<number> {
    const before = fake.calls.introspect;
    await action();
    return fake.calls.introspect - before;
  }

  it('introspects an opaque token as service-client-jwt with client_secret_basic', async () => {
    const token = fake.opaque({ scope: 'country.read', jti: 'opaque-1' });
    await expect(verifier().verify(token)).resolves.toEqual({
      clientId: 'user-client-opaque',
      scopes: ['country.read'],
      tokenId: 'opaque-1',
      validatedBy: 'introspection',
      expiresAt: expect.any(Number),
      audience: ['user-client-opaque'],
    });
    expect(fake.lastIntrospectionAuth).toBe(`Basic ${Buffer.from('service-client-jwt:service-client-jwt-secret').toString('base64')}`);
  });

  it('caches an active result: repeated requests make one call', async () => {
    const v = verifier();
    const token = fake.opaque();
    expect(
      await callsDuring(async () => {
        for (let i = 0; i < 10; i++) await v.verify(token);
      }),
    ).toBe(1);
  });

  it('keeps an active result no longer than the token lives (exp bounds the TTL)', async () => {
    const v = verifier({ introspection: { cacheTtlSeconds: 60 } });
    const token = fake.opaque({ exp: now() + 2 });
    await v.verify(token);
    const cache = (v as unknown as { cache: { keys(): Iterable<string>; getRemainingTTL(key: string): number } }).cache;
    const [key] = [...cache.keys()];
    expect(cache.getRemainingTTL(key)).toBeLessThanOrEqual(2_000);
    await sleep(2_100);
    // Gone with the token's exp: the next request asks again and is refused.
    let error: unknown;
    expect(await callsDuring(() => v.verify(token).catch((e: unknown) => (error = e)))).toBe(1);
    expect(error).toMatchObject({ code: 'invalid_token', status: 401 });
  });

  it('keeps an active result no longer than the configured TTL', async () => {
    const v = verifier({ introspection: { cacheTtlSeconds: 1 } });
    const token = fake.opaque();
    await v.verify(token);
    await sleep(1_100);
    expect(await callsDuring(() => v.verify(token))).toBe(1);
  });

  it('caches an inactive result briefly (negative caching)', async () => {
    const v = verifier({ introspection: { negativeCacheTtlSeconds: 1 } });
    const refused = () => v.verify('unknown-token').catch((e: unknown) => e);
    expect(
      await callsDuring(async () => {
        expect(await refused()).toMatchObject({ code: 'invalid_token', status: 401, description: 'the access token is not active' });
        expect(await refused()).toMatchObject({ code: 'invalid_token' });
      }),
    ).toBe(1);
    await sleep(1_100);
    expect(await callsDuring(refused)).toBe(1);
  });

  it('coalesces 50 concurrent lookups of one token into one introspection call', async () => {
    const v = verifier();
    fake.introspectionDelayMs = 100;
    const token = fake.opaque();
    const calls = await callsDuring(async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => v.verify(token)));
      expect(new Set(results.map((r) => r.clientId))).toEqual(new Set(['user-client-opaque']));
    });
    expect(calls).toBe(1);
  });

  it('keys the cache by SHA-256 of the token, never the token itself', async () => {
    const v = verifier();
    const token = fake.opaque();
    await v.verify(token);
    const keys = [...(v as unknown as { cache: Map<string, unknown> }).cache.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(token);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('does not cache a failure to reach the auth-server, and answers 401 "could not be validated"', async () => {
    const v = verifier();
    const token = fake.opaque();
    fake.down = true;
    await expect(v.verify(token)).rejects.toMatchObject({ code: 'invalid_token', description: 'the access token could not be validated' });
    fake.down = false;
    await sleep(1_050); // a failed discovery is retried at most once a second
    await expect(v.verify(token)).resolves.toMatchObject({ clientId: 'user-client-opaque' });
  });

  it('refuses malformed and huge tokens without calling the auth-server', async () => {
    const v = verifier();
    expect(
      await callsDuring(async () => {
        await expect(v.verify('has space')).rejects.toMatchObject({ code: 'invalid_token' });
        await expect(v.verify('x'.repeat(10_000))).rejects.toMatchObject({ code: 'invalid_token' });
      }),
    ).toBe(0);
  });
});
