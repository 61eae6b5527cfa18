import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import { specDpopKey, type SpecDpopKey } from '@playground/testing';
import { DpopKey, PrivateKeyJwtAuthenticator } from '@playground/token-client';
import { ClientAdminService } from '../src/app/clients/client-admin.service';
import { basic, postForm, SEEDED, useAuthServer } from './support/auth-server';

const MS_SYSTEM = 'http://localhost:8091/ms-system';
const REPORTS = 'urn:playground:reports';
const ISSUER = 'http://localhost:8085/ms-auth-server';
const PKJWT_KEY = JSON.parse(readFileSync(join(__dirname, '../../../docs/keys/service-client-pkjwt.private.jwk.json'), 'utf8'));

describe('resource indicators (RFC 8707) and DPoP (RFC 9449) at the token endpoint, introspection answers both', () => {
  const auth = useAuthServer('auth_rfc8707_9449');
  let tokenUrl: string;
  let key: SpecDpopKey;

  beforeAll(async () => {
    tokenUrl = `${auth.server.baseUrl}/oauth2/token`;
    key = await specDpopKey();
    const admin = auth.server.app.get(ClientAdminService);
    await admin
      .create({ clientId: 'reports-only', scopes: ['country.read'], tokenFormat: 'jwt', allowedResources: [REPORTS] })
      .then(({ secret }) => (reportsOnly.secret = secret ?? ''));
    await admin
      .create({ clientId: 'dpop-only', scopes: ['country.read'], tokenFormat: 'opaque', requireDpop: true })
      .then(({ secret }) => (dpopOnly.secret = secret ?? ''));
  });
  const reportsOnly = { id: 'reports-only', secret: '' };
  const dpopOnly = { id: 'dpop-only', secret: '' };
  const jwtClient = (extra: Array<[string, string]> = []): Array<[string, string]> => [
    ['grant_type', 'client_credentials'],
    ['client_id', SEEDED.jwt.id],
    ['client_secret', SEEDED.jwt.secret],
    ...extra,
  ];
  const introspect = async (token: string) =>
    (await postForm(`${auth.server.baseUrl}/oauth2/introspect`, { token }, { authorization: basic(SEEDED.jwt.id, SEEDED.jwt.secret) }))
      .body;
  // The server's token endpoint by the metadata's name (issuer-based); it is also reachable by the URL the request used.
  const proof = (extra: Record<string, unknown> = {}, htu = `${ISSUER}/oauth2/token`) => key.proof({ htm: 'POST', htu, ...extra });

  describe('resource', () => {
    it('one resource → JWT aud is that string; introspection aud is an array', async () => {
      const reply = await postForm(tokenUrl, jwtClient([['resource', MS_SYSTEM]]));
      expect(reply.status).toBe(200);
      expect(decodeJwt(reply.body.access_token).aud).toBe(MS_SYSTEM);
      expect((await introspect(reply.body.access_token)).aud).toEqual([MS_SYSTEM]);
    });

    it('§2: resource may repeat → aud lists them all', async () => {
      const reply = await postForm(
        tokenUrl,
        jwtClient([
          ['resource', MS_SYSTEM],
          ['resource', REPORTS],
        ]),
      );
      expect(reply.status).toBe(200);
      expect(decodeJwt(reply.body.access_token).aud).toEqual([MS_SYSTEM, REPORTS]);
      expect((await introspect(reply.body.access_token)).aud).toEqual([MS_SYSTEM, REPORTS]);
    });

    it('no resource → aud [client_id], as before', async () => {
      const reply = await postForm(tokenUrl, jwtClient());
      expect(decodeJwt(reply.body.access_token).aud).toBe(SEEDED.jwt.id);
      expect((await introspect(reply.body.access_token)).aud).toEqual([SEEDED.jwt.id]);
    });

    it.each([
      ['unknown', 'https://elsewhere.example/api'],
      ['relative', '/ms-system'],
      ['with a fragment', `${MS_SYSTEM}#x`],
      ['not a URI at all', 'not a uri'],
    ])('%s resource → 400 invalid_target, no token', async (_name, resource) => {
      const reply = await postForm(tokenUrl, jwtClient([['resource', resource]]));
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_target');
      expect(reply.headers.get('cache-control')).toBe('no-store');
    });

    it('a client limited with --resources gets invalid_target for any other registered resource', async () => {
      const ok = await postForm(
        tokenUrl,
        [
          ['grant_type', 'client_credentials'],
          ['resource', REPORTS],
        ],
        { authorization: basic(reportsOnly.id, reportsOnly.secret) },
      );
      expect(ok.status).toBe(200);
      const refused = await postForm(
        tokenUrl,
        [
          ['grant_type', 'client_credentials'],
          ['resource', MS_SYSTEM],
        ],
        { authorization: basic(reportsOnly.id, reportsOnly.secret) },
      );
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        error: 'invalid_target',
        error_description: 'the requested resource is unknown or not allowed for this client',
      });
    });

    it('other parameters still may not repeat', async () => {
      const reply = await postForm(
        tokenUrl,
        jwtClient([
          ['scope', 'country.read'],
          ['scope', 'customer.read'],
        ]),
      );
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_request');
    });
  });

  describe('DPoP', () => {
    it('§5: a valid proof → token_type DPoP, JWT cnf.jkt = RFC 7638 thumbprint; introspection token_type DPoP + cnf', async () => {
      const reply = await postForm(tokenUrl, jwtClient(), { dpop: await proof() });
      expect(reply.status).toBe(200);
      expect(reply.body.token_type).toBe('DPoP');
      expect(decodeJwt(reply.body.access_token).cnf).toEqual({ jkt: key.jkt });
      expect(key.jkt).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
      const active = await introspect(reply.body.access_token);
      expect(Object.keys(active).sort()).toEqual([
        'active',
        'aud',
        'client_id',
        'cnf',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'scope',
        'sub',
        'token_type',
      ]);
      expect(active).toMatchObject({ token_type: 'DPoP', cnf: { jkt: key.jkt } });
    });

    it('an opaque token is bound too: the thumbprint is stored and introspection shows it', async () => {
      const reply = await postForm(
        tokenUrl,
        [
          ['grant_type', 'client_credentials'],
          ['client_id', SEEDED.opaque.id],
          ['client_secret', SEEDED.opaque.secret],
        ],
        { dpop: await proof() },
      );
      expect(reply.body.token_type).toBe('DPoP');
      expect(await introspect(reply.body.access_token)).toMatchObject({ token_type: 'DPoP', cnf: { jkt: key.jkt } });
    });

    it('a proof for the URL the request reached (not the issuer name) is accepted too', async () => {
      const reply = await postForm(tokenUrl, jwtClient(), { dpop: await proof({}, tokenUrl) });
      expect(reply.body.token_type).toBe('DPoP');
    });

    it.each([
      ['replayed', 'replay'],
      ['stale (iat 2 min ago)', { iat: Math.floor(Date.now() / 1000) - 120 }],
      ['for GET', { htm: 'GET' }],
      ['for another URL', { htu: 'http://localhost:8085/ms-auth-server/oauth2/introspect' }],
      ['garbage', 'garbage'],
    ])('a %s proof → 400 invalid_dpop_proof, no token', async (_name, variant) => {
      let header: string;
      if (variant === 'replay') {
        header = await proof();
        expect((await postForm(tokenUrl, jwtClient(), { dpop: header })).status).toBe(200);
      } else if (variant === 'garbage') {
        header = 'not.a.proof';
      } else {
        header = await proof(variant as Record<string, unknown>);
      }
      const reply = await postForm(tokenUrl, jwtClient(), { dpop: header });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_dpop_proof');
    });

    it('one proof sent on ten requests at once (one batch of the replay store): exactly one token', async () => {
      const header = await proof();
      const replies = await Promise.all(Array.from({ length: 10 }, () => postForm(tokenUrl, jwtClient(), { dpop: header })));
      expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(400)]);
    });

    it('--require-dpop: no proof → 400 invalid_request; with one → a DPoP token', async () => {
      const auth = { authorization: basic(dpopOnly.id, dpopOnly.secret) };
      const refused = await postForm(tokenUrl, { grant_type: 'client_credentials' }, auth);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ error: 'invalid_request', error_description: 'this client must send a DPoP proof' });
      const ok = await postForm(tokenUrl, { grant_type: 'client_credentials' }, { ...auth, dpop: await proof() });
      expect(ok.body.token_type).toBe('DPoP');
    });
  });

  it('all three at once: service-client-pkjwt, private_key_jwt, ES256, DPoP-bound, for ms-system', async () => {
    const assertion = await new PrivateKeyJwtAuthenticator('service-client-pkjwt', { privateJwk: PKJWT_KEY }).parameters(ISSUER);
    const dpop = await DpopKey.generate();
    const reply = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials', resource: MS_SYSTEM, ...assertion },
      { dpop: await dpop.proof({ htm: 'POST', htu: tokenUrl }) },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.token_type).toBe('DPoP');
    expect(decodeProtectedHeader(reply.body.access_token).alg).toBe('ES256');
    expect(decodeJwt(reply.body.access_token)).toMatchObject({
      aud: MS_SYSTEM,
      client_id: 'service-client-pkjwt',
      cnf: { jkt: await calculateJwkThumbprint(dpop.publicJwk) },
    });
  });
});
