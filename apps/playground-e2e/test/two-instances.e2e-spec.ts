// Several instances behaving as one (docs/contract.md, ADR 0011): two auth-servers and two ms-systems on
// one PostgreSQL, behind a round-robin front on loopback. The acceptance-level flows run through
// the front, so consecutive requests land on different instances; a change made through one
// process (or the admin CLI) must hold on every other.
import { decodeProtectedHeader } from 'jose';
import { startTwoInstances, type TwoInstances } from './support/two-instances';
import { basic, CLIENTS, REVOCATION_WINDOW_MS, type ClientId } from './support/seeded';

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('two instances of auth-server and ms-system behind a round-robin front', () => {
  let two: TwoInstances;

  beforeAll(async () => {
    // ms-system in its default mode (auto), default windows; a short pre-publication for the test.
    two = await startTwoInstances({ SIGNING_KEY_PREPUBLISH_SECONDS: '4' });
  }, 180_000);
  afterAll(() => two?.close(), 60_000);

  const tokenResponse = (clientId: string, secret: string) =>
    fetch(`${two.authServer}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(clientId, secret), ...form },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });

  async function token(clientId: string, secret: string): Promise<string> {
    const response = await tokenResponse(clientId, secret);
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  const aus = (accessToken?: string) =>
    fetch(`${two.msSystem}/country/code/AUS`, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });

  /** Twice per instance: with round robin, four consecutive requests reach both instances twice. */
  async function onEveryInstance<T>(call: () => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (let i = 0; i < 4; i++) results.push(await call());
    return results;
  }

  it.each(Object.keys(CLIENTS) as ClientId[])(
    'seed walkthrough for %s: 401 → token → 200 AUSTRALIA on every instance',
    async (clientId) => {
      const before = new Map(two.front.hits);
      for (const response of await onEveryInstance(() => aus())) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(
          'Bearer realm="ms-system", resource_metadata="http://localhost:8091/.well-known/oauth-protected-resource/ms-system", DPoP realm="ms-system", algs="ES256 EdDSA PS256 RS256"',
        );
      }
      // A token issued by either auth-server works on either ms-system.
      const tokens = await onEveryInstance(() => token(clientId, CLIENTS[clientId].secret));
      for (const accessToken of tokens) {
        for (const response of await onEveryInstance(() => aus(accessToken))) {
          expect(response.status).toBe(200);
          expect(await response.text()).toBe('{"code":"AUS","name":"AUSTRALIA"}');
        }
      }
      for (const port of [...two.ports.authServer, ...two.ports.msSystem]) {
        expect(two.front.hits.get(port) ?? 0).toBeGreaterThan(before.get(port) ?? 0);
      }
    },
  );

  it('introspection answers the same on either instance, for tokens of either instance', async () => {
    const tokens = await onEveryInstance(() => token('user-client-opaque', CLIENTS['user-client-opaque'].secret));
    for (const accessToken of tokens) {
      for (const response of await onEveryInstance(() =>
        fetch(`${two.authServer}/oauth2/introspect`, {
          method: 'POST',
          headers: { authorization: basic('service-client-jwt', CLIENTS['service-client-jwt'].secret), ...form },
          body: new URLSearchParams({ token: accessToken }),
        }),
      )) {
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ active: true, client_id: 'user-client-opaque', token_type: 'Bearer' });
      }
    }
  });

  it.each(Object.keys(CLIENTS) as ClientId[])(
    `a %s token revoked through one instance → 401 on every ms-system within ${REVOCATION_WINDOW_MS / 1000} s`,
    async (clientId) => {
      const accessToken = await token(clientId, CLIENTS[clientId].secret);
      // Both ms-systems have seen (and cached) the token as valid.
      for (const response of await onEveryInstance(() => aus(accessToken))) expect(response.status).toBe(200);
      const revoked = await fetch(`${two.authServer}/oauth2/revoke`, {
        method: 'POST',
        headers: { authorization: basic(clientId, CLIENTS[clientId].secret), ...form },
        body: new URLSearchParams({ token: accessToken }),
      });
      expect(revoked.status).toBe(200);
      const started = Date.now();
      // Refused once by both instances in a row (four consecutive 401s), within the window.
      let refusedInARow = 0;
      while (refusedInARow < 4) {
        const status = (await aus(accessToken)).status;
        refusedInARow = status === 401 ? refusedInARow + 1 : 0;
        if (status !== 401) expect(status).toBe(200);
        expect(Date.now() - started).toBeLessThanOrEqual(REVOCATION_WINDOW_MS);
        if (refusedInARow < 4) await new Promise((r) => setTimeout(r, 100));
      }
    },
    30_000,
  );

  it('rotate-secret through the CLI: the old secret fails at once on every auth-server, the new one works on every one', async () => {
    const old = 'archival-service-secret'; // the seeded archival-service client (ARCHIVAL_CLIENT_SECRET)
    // Both auth-servers have the old secret's verification cached.
    await onEveryInstance(() => token('archival-service', old));
    const printed = await two.cli('rotate-secret', 'archival-service');
    const fresh = /client_secret: (\S+)/.exec(printed)?.[1] ?? '';
    expect(fresh).not.toBe('');
    for (const response of await onEveryInstance(() => tokenResponse('archival-service', old))) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
    await onEveryInstance(() => token('archival-service', fresh));

    // disable, the same way: refused at once by both, although both just verified the secret.
    await two.cli('disable', 'archival-service');
    for (const response of await onEveryInstance(() => tokenResponse('archival-service', fresh))) {
      expect(response.status).toBe(401);
    }
  }, 120_000);

  const kid = async () => decodeProtectedHeader(await token('service-client-jwt', CLIENTS['service-client-jwt'].secret)).kid;

  it('rotate-signing-key through the CLI (pre-published): every auth-server switches when the new key activates', async () => {
    const before = await onEveryInstance(kid);
    expect(new Set(before).size).toBe(1);
    const printed = await two.cli('rotate-signing-key');
    const [, next, activatesAt] = /signing key (\S+) is published and signs from (\S+?)(;|$)/m.exec(printed) ?? [];
    expect(next).toBeDefined();
    // Until then the old key signs (the new one is only published)…
    const waitMs = Date.parse(activatesAt) - Date.now();
    expect(waitMs).toBeGreaterThan(1_000);
    expect(await onEveryInstance(kid)).toEqual(before);
    // …from then on the new one, on every instance. Before ADR 0011 an instance that had not made
    // the rotation learnt of the waiting key only at its next refresh (SIGNING_KEY_REFRESH_SECONDS).
    await new Promise((r) => setTimeout(r, waitMs + 500));
    expect(await onEveryInstance(kid)).toEqual([next, next, next, next]);
  }, 60_000);

  it('rotate-signing-key --now through the CLI: every auth-server signs with the new key from the next token on', async () => {
    const before = await onEveryInstance(kid);
    expect(new Set(before).size).toBe(1);
    const printed = await two.cli('rotate-signing-key', '--now');
    const active = /signing key (\S+) is active/.exec(printed)?.[1];
    expect(active).toBeDefined();
    expect(active).not.toBe(before[0]);
    // Before ADR 0011, the instances kept signing with the retired key for up to
    // SIGNING_KEY_REFRESH_SECONDS (30 s) after a rotation they had not made themselves.
    expect(await onEveryInstance(kid)).toEqual([active, active, active, active]);
  }, 60_000);
});
