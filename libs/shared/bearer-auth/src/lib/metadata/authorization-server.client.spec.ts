import { resolveOptions, type FetchLike } from '../bearer-auth.options';
import { accessTokenAlgorithms, AuthorizationServerClient, AuthServerUnavailableError } from './authorization-server.client';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('AuthorizationServerClient (RFC 8414 discovery, client_secret_basic)', () => {
  const metadata = {
    issuer: 'http://localhost:8085/ms-auth-server',
    jwks_uri: 'http://localhost:8085/ms-auth-server/oauth2/jwks',
    introspection_endpoint: 'http://localhost:8085/ms-auth-server/oauth2/introspect',
  };

  function client(fetch: FetchLike, extra: { clientId?: string; clientSecret?: string } = {}) {
    return new AuthorizationServerClient(
      resolveOptions({ authServerUrl: 'http://auth-server:8085/ms-auth-server/', fetch, introspection: extra }),
    );
  }

  it('reads the metadata once, keeps the issuer, and reaches the endpoints through the configured URL', async () => {
    const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async () => json(metadata));
    const c = client(fetch);
    const [a, b] = await Promise.all([c.discover(), c.discover()]);
    expect(a).toBe(b);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String(fetch.mock.calls[0][0])).toBe('http://auth-server:8085/ms-auth-server/.well-known/oauth-authorization-server');
    expect(a).toEqual({
      issuer: 'http://localhost:8085/ms-auth-server',
      jwksUri: 'http://auth-server:8085/ms-auth-server/oauth2/jwks',
      introspectionEndpoint: 'http://auth-server:8085/ms-auth-server/oauth2/introspect',
      revocationsFeed: 'http://auth-server:8085/ms-auth-server/oauth2/revocations',
      accessTokenAlgs: ['RS256'],
    });
  });

  it('takes the access-token algorithms from the metadata, asymmetric ones only, RS256 when none is announced', () => {
    expect(accessTokenAlgorithms(['RS256', 'PS256', 'ES256', 'EdDSA'])).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
    expect(accessTokenAlgorithms(['none', 'HS256', 'ES256'])).toEqual(['ES256']);
    expect(accessTokenAlgorithms(['none', 'HS256'])).toEqual(['RS256']);
    expect(accessTokenAlgorithms(undefined)).toEqual(['RS256']);
    expect(accessTokenAlgorithms('ES256')).toEqual(['RS256']);
  });

  it('introspects with client_secret_basic, id and secret form-urlencoded first (RFC 6749 §2.3.1)', async () => {
    const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async (url) =>
      String(url).endsWith('/introspect') ? json({ active: false }) : json(metadata),
    );
    await client(fetch, { clientId: 'rs one', clientSecret: 'p:a%s' }).introspect('tok');
    const [url, init] = fetch.mock.calls[1];
    expect(String(url)).toBe('http://auth-server:8085/ms-auth-server/oauth2/introspect');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('token=tok');
    const authorization = (init?.headers as Record<string, string>)['authorization'];
    expect(Buffer.from(authorization.replace('Basic ', ''), 'base64').toString()).toBe('rs+one:p%3Aa%25s');
  });

  it('reads the revocations feed with the cursor', async () => {
    const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async (url) =>
      String(url).includes('/revocations') ? json({ revocations: [{ jti: 'a', exp: 1 }], cursor: '7' }) : json(metadata),
    );
    const c = client(fetch);
    await expect(c.revocations(undefined)).resolves.toEqual({ revocations: [{ jti: 'a', exp: 1 }], cursor: '7' });
    await c.revocations('7');
    expect(String(fetch.mock.calls[1][0])).toBe('http://auth-server:8085/ms-auth-server/oauth2/revocations');
    expect(String(fetch.mock.calls[2][0])).toBe('http://auth-server:8085/ms-auth-server/oauth2/revocations?after=7');
  });

  it('treats incomplete metadata, non-200 answers and network errors as "unavailable", and retries discovery later', async () => {
    const answers: (() => Promise<Response>)[] = [
      async () => json({ issuer: 'x' }),
      async () => json({}, 500),
      async () => Promise.reject(new TypeError('fetch failed')),
      async () => json(metadata),
    ];
    const fetch = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(() => (answers.shift() as () => Promise<Response>)());
    const c = client(fetch);
    const now = jest.spyOn(Date, 'now');
    let t = 1_000_000;
    now.mockImplementation(() => t);
    for (let i = 0; i < 3; i++) {
      await expect(c.discover()).rejects.toBeInstanceOf(AuthServerUnavailableError);
      // Within a second the last failure is repeated without a call.
      await expect(c.discover()).rejects.toBeInstanceOf(AuthServerUnavailableError);
      t += 1_001;
    }
    await expect(c.discover()).resolves.toMatchObject({ issuer: metadata.issuer });
    expect(fetch).toHaveBeenCalledTimes(4);
    now.mockRestore();
  });
});
