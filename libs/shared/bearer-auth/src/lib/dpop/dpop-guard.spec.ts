import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { specDpopKey, startFakeAuthServer, type FakeAuthServer, type SpecDpopKey } from '@playground/testing';
import { startProtectedApp } from '../../testing/protected-app';
import type { TokenValidationMode } from '../bearer-auth.options';
import { RevocationList } from '../revocation/revocation-list';

const RESOURCE = 'http://localhost:8091/ms-system';
const METADATA = 'http://localhost:8091/.well-known/oauth-protected-resource/ms-system';

describe.each<TokenValidationMode>(['auto', 'jwt', 'introspection'])(
  'DPoP (RFC 9449 §7) and audience (RFC 8707) at the resource server, %s mode',
  (mode) => {
    let fake: FakeAuthServer;
    let app: NestFastifyApplication;
    let url: string;
    let key: SpecDpopKey;

    beforeAll(async () => {
      fake = await startFakeAuthServer();
      ({ app, url } = await startProtectedApp({ authServerUrl: fake.issuer, mode, resource: RESOURCE, resourceMetadataUrl: METADATA }));
      await app.get(RevocationList).poll();
      key = await specDpopKey();
    });
    afterAll(async () => {
      await app.close();
      await fake.close();
    });

    /** A token in the format this mode validates, optionally bound and audience-restricted. */
    const token = (claims: { cnf?: { jkt: string }; aud?: string[] } = {}) =>
      mode === 'introspection'
        ? Promise.resolve(fake.opaque({ scope: 'country.read', ...claims }))
        : fake.jwt({ scope: 'country.read', ...claims });
    const target = () => `${url}/country/code/AUS`;
    const get = (headers: Record<string, string>, at = target()) => fetch(at, { headers });
    const dpopChallenge = (response: Response) => response.headers.get('www-authenticate')?.split(/, (?=DPoP )/)[1];

    it('a bound token with the DPoP scheme and a good proof → 200', async () => {
      const bound = await token({ cnf: { jkt: key.jkt }, aud: [RESOURCE] });
      const response = await get({
        authorization: `DPoP ${bound}`,
        dpop: await key.proof({ htm: 'GET', htu: target(), accessToken: bound }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ code: 'AUS', name: 'AUSTRALIA', client: { jkt: key.jkt, audience: [RESOURCE] } });
    });

    it('§7.2: the same bound token sent as Bearer → 401 invalid_token, challenged on DPoP', async () => {
      const bound = await token({ cnf: { jkt: key.jkt } });
      const response = await get({ authorization: `Bearer ${bound}` });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: 'invalid_token',
        error_description: 'a DPoP-bound access token must be sent with the DPoP scheme',
      });
      expect(dpopChallenge(response)).toBe(
        `DPoP realm="spec", error="invalid_token", error_description="a DPoP-bound access token must be sent with the DPoP scheme", algs="ES256 EdDSA PS256 RS256"`,
      );
    });

    it('a replayed proof → 401 invalid_dpop_proof', async () => {
      const bound = await token({ cnf: { jkt: key.jkt } });
      const headers = { authorization: `DPoP ${bound}`, dpop: await key.proof({ htm: 'GET', htu: target(), accessToken: bound }) };
      expect((await get(headers)).status).toBe(200);
      const replay = await get(headers);
      expect(replay.status).toBe(401);
      expect(await replay.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'the DPoP proof was already used' });
      expect(dpopChallenge(replay)).toMatch(/^DPoP realm="spec", error="invalid_dpop_proof"/);
    });

    it.each([
      ['stale (iat 2 minutes ago)', { iat: Math.floor(Date.now() / 1000) - 120 }, 'the DPoP proof is stale or from the future'],
      ['for another method', { htm: 'POST' }, 'the DPoP proof is for another method'],
      ['for another URL', { htu: 'http://127.0.0.1:1/rs/country/code/FRA' }, 'the DPoP proof is for another URL'],
      ['for another token (wrong ath)', { accessToken: 'some-other-token' }, 'the DPoP proof is for another access token'],
    ])('a proof %s → 401 invalid_dpop_proof', async (_name, override, description) => {
      const bound = await token({ cnf: { jkt: key.jkt } });
      const response = await get({
        authorization: `DPoP ${bound}`,
        dpop: await key.proof({ htm: 'GET', htu: target(), accessToken: bound, ...override }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'invalid_dpop_proof', error_description: description });
    });

    it('no proof, or two → 401 invalid_dpop_proof', async () => {
      const bound = await token({ cnf: { jkt: key.jkt } });
      expect(await (await get({ authorization: `DPoP ${bound}` })).json()).toMatchObject({ error: 'invalid_dpop_proof' });
      const proof = await key.proof({ htm: 'GET', htu: target(), accessToken: bound });
      const two = await fetch(target(), {
        headers: [
          ['authorization', `DPoP ${bound}`],
          ['dpop', proof],
          ['dpop', proof],
        ],
      });
      expect(two.status).toBe(401);
    });

    it('a proof by another key than the token is bound to → 401 invalid_token', async () => {
      const other = await specDpopKey();
      const bound = await token({ cnf: { jkt: key.jkt } });
      const response = await get({
        authorization: `DPoP ${bound}`,
        dpop: await other.proof({ htm: 'GET', htu: target(), accessToken: bound }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    });

    it('an unbound token with the DPoP scheme → 401 invalid_token', async () => {
      const plain = await token();
      const response = await get({
        authorization: `DPoP ${plain}`,
        dpop: await key.proof({ htm: 'GET', htu: target(), accessToken: plain }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is not DPoP-bound' });
    });

    it('RFC 8707: a token meant for another resource → 401 invalid_token; for this one or for none → 200', async () => {
      const elsewhere = await get({ authorization: `Bearer ${await token({ aud: ['urn:playground:reports'] })}` });
      expect(elsewhere.status).toBe(401);
      expect(await elsewhere.json()).toEqual({
        error: 'invalid_token',
        error_description: 'the access token is meant for another resource',
      });
      expect(elsewhere.headers.get('www-authenticate')).toContain(`resource_metadata="${METADATA}"`);
      expect((await get({ authorization: `Bearer ${await token({ aud: [RESOURCE, 'urn:playground:reports'] })}` })).status).toBe(200);
      expect((await get({ authorization: `Bearer ${await token()}` })).status).toBe(200);
    });
  },
);

describe('REQUIRE_AUDIENCE: a token without any resource is refused too', () => {
  it('→ 401 invalid_token for aud [client_id], 200 for aud [resource]', async () => {
    const fake = await startFakeAuthServer();
    const { app, url } = await startProtectedApp({ authServerUrl: fake.issuer, resource: RESOURCE, requireAudience: true });
    try {
      const refused = await fetch(`${url}/country/code/AUS`, {
        headers: { authorization: `Bearer ${await fake.jwt({ scope: 'country.read' })}` },
      });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({
        error: 'invalid_token',
        error_description: 'the access token is not audience-restricted to this resource',
      });
      const bound = await fake.jwt({ scope: 'country.read', aud: RESOURCE });
      expect((await fetch(`${url}/country/code/AUS`, { headers: { authorization: `Bearer ${bound}` } })).status).toBe(200);
    } finally {
      await app.close();
      await fake.close();
    }
  });
});
