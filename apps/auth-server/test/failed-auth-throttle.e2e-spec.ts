import type { RateLimiterMemory } from 'rate-limiter-flexible';
import { FailedAuthThrottle } from '../src/app/client-auth/failed-auth-throttle';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import { basic, postForm, SEEDED, useAuthServer } from './support/auth-server';

/**
 * docs/contract.md, "Errors": a wrong-secret flood is throttled per client_id and per source address
 * (429 + Retry-After, temporarily_unavailable), and a client with the right, recently verified
 * secret keeps getting tokens throughout.
 */
describe('failed client authentication is throttled (docs/contract.md)', () => {
  const auth = useAuthServer('auth_throttle', {
    env: { FAILED_AUTH_LIMIT_PER_CLIENT: '5', FAILED_AUTH_LIMIT_PER_ADDRESS: '20', FAILED_AUTH_THROTTLE_DELAY_MS: '50' },
  });
  let tokenUrl: string;

  beforeAll(async () => {
    tokenUrl = `${auth.server.baseUrl}/oauth2/token`;
  });

  const good = () => postForm(tokenUrl, { grant_type: 'client_credentials' }, { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) });
  const guess = (clientId: string, i: number) =>
    postForm(tokenUrl, { grant_type: 'client_credentials', client_id: clientId, client_secret: `guess-${i}` });

  it('thirty concurrent first requests of a good client (nothing cached yet) all succeed: identical credentials share one verification', async () => {
    // Before: each counted as an attempt from its start, so all but the first five got 429.
    const first = () =>
      postForm(tokenUrl, { grant_type: 'client_credentials' }, { authorization: basic(SEEDED.opaque.id, SEEDED.opaque.secret) });
    const replies = await Promise.all(Array.from({ length: 30 }, first));
    expect(replies.map((r) => r.status)).toEqual(Array(30).fill(200));
  });

  it('guesses against one client_id: 401 up to the limit, then 429 + Retry-After; the good client is not slowed', async () => {
    expect((await good()).status).toBe(200); // verified once: in the cache from now on
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const reply = await guess(SEEDED.jwt.id, i);
      statuses.push(reply.status);
      if (reply.status === 429) {
        expect(reply.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    const replies = await Promise.all([good(), good(), good()]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('an unknown client_id gets the same answers as a known one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await guess('no-such-client', i)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('fifty concurrent guesses: at most the limit reach the argon2 check, the rest get 429', async () => {
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => guess('concurrent-target', i)));
    const count = (status: number) => replies.filter((r) => r.status === status).length;
    expect({ 401: count(401), 429: count(429) }).toEqual({ 401: 5, 429: 45 });
  });

  it('guesses spread over many client_ids are throttled per source address', async () => {
    let last = 0;
    for (let i = 0; i < 25 && last !== 429; i++) last = (await guess(`random-${i}`, i)).status;
    expect(last).toBe(429);
    expect((await good()).status).toBe(200);
    // Counted under the socket's address (OAuthRequest.sourceAddress), not under the `unknown` fallback.
    const { byAddress } = auth.server.app.get(FailedAuthThrottle) as unknown as { byAddress: RateLimiterMemory };
    expect((await byAddress.get('127.0.0.1'))?.consumedPoints).toBeGreaterThanOrEqual(20);
    expect(await byAddress.get('unknown')).toBeNull();
  });
});

/**
 * Behind a reverse proxy every socket is the proxy's. TRUST_PROXY names the proxies whose
 * X-Forwarded-For is believed, so one client's guesses no longer block everyone behind the proxy;
 * from anyone else the header is ignored, so no client can pick the address it is counted under.
 */
describe('the per-address limit behind a trusted proxy (TRUST_PROXY)', () => {
  const limits = { FAILED_AUTH_LIMIT_PER_CLIENT: '100', FAILED_AUTH_LIMIT_PER_ADDRESS: '5', FAILED_AUTH_THROTTLE_DELAY_MS: '0' };
  const forwardedGuess = (server: { baseUrl: string }, forwardedFor: string, i: number) =>
    postForm(
      `${server.baseUrl}/oauth2/token`,
      { grant_type: 'client_credentials', client_id: `proxy-guess-${i}`, client_secret: 'wrong' },
      { 'x-forwarded-for': forwardedFor },
    );

  describe('the loopback proxy trusted', () => {
    const auth = useAuthServer('auth_throttle_trusted_proxy', { env: { ...limits, TRUST_PROXY: '127.0.0.1' } });

    it('counts each forwarded client on its own: one blocked address leaves the next one alone', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await forwardedGuess(auth.server, '203.0.113.7', i)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      expect((await forwardedGuess(auth.server, '203.0.113.8', 100)).status).toBe(401);
      const { byAddress } = auth.server.app.get(FailedAuthThrottle) as unknown as { byAddress: RateLimiterMemory };
      expect((await byAddress.get('203.0.113.7'))?.consumedPoints).toBeGreaterThanOrEqual(5);
      expect(await byAddress.get('127.0.0.1')).toBeNull();
    });
  });

  describe('no proxy trusted (the default)', () => {
    const auth = useAuthServer('auth_throttle_untrusted_proxy', { env: limits });

    it('ignores X-Forwarded-For: a client cannot choose the address it is counted under', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await forwardedGuess(auth.server, `198.51.100.${i}`, i)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const { byAddress } = auth.server.app.get(FailedAuthThrottle) as unknown as { byAddress: RateLimiterMemory };
      expect(await byAddress.get('198.51.100.0')).toBeNull();
    });
  });
});

/**
 * The verification cache lapses every SECRET_CACHE_TTL_SECONDS. A flood of guesses under a good
 * client's id must not lock that client out when its entry lapses mid-flood: credentials that
 * verified before in this process are checked in full again but never held back by the throttle.
 */
describe('a good client whose cached verification lapses during a flood under its own id', () => {
  const auth = useAuthServer('auth_throttle_lapse', {
    env: { SECRET_CACHE_TTL_SECONDS: '1', FAILED_AUTH_LIMIT_PER_CLIENT: '5', FAILED_AUTH_THROTTLE_DELAY_MS: '0' },
  });
  const token = (secret: string) =>
    postForm(
      `${auth.server.baseUrl}/oauth2/token`,
      { grant_type: 'client_credentials' },
      { authorization: basic(SEEDED.opaque.id, secret) },
    );

  it('keeps getting tokens after the entry lapsed, while guesses under its id still get 429', async () => {
    expect((await token(SEEDED.opaque.secret)).status).toBe(200);
    const guesses: number[] = [];
    for (let i = 0; i < 7; i++) guesses.push((await token(`guess-${i}`)).status);
    expect(guesses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the cached verification lapses
    expect((await token(SEEDED.opaque.secret)).status).toBe(200);
    expect((await token('guess-after')).status).toBe(429);
  });

  it('a secret rotated away is a stranger again: its attempts are throttled like guesses', async () => {
    const call = (secret: string) =>
      postForm(
        `${auth.server.baseUrl}/oauth2/token`,
        { grant_type: 'client_credentials' },
        { authorization: basic(SEEDED.jwt.id, secret) },
      );
    expect((await call(SEEDED.jwt.secret)).status).toBe(200); // verified: known good
    const newSecret = await auth.server.app.get(ClientAdminService).rotateSecret(SEEDED.jwt.id);
    expect((await call(newSecret)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(SEEDED.jwt.secret)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
