import { loadMsSystemConfig } from './config';

describe('ms-system configuration (zod, validated at boot)', () => {
  it('has the playground defaults', () => {
    expect(loadMsSystemConfig({})).toEqual({
      NODE_ENV: 'development',
      PORT: 8091,
      HOST: '127.0.0.1',
      TRUST_PROXY: false,
      AUTH_SERVER_URL: 'http://localhost:8085/ms-auth-server',
      TOKEN_VALIDATION_MODE: 'auto',
      INTROSPECTION_CLIENT_ID: 'service-client-jwt',
      INTROSPECTION_CLIENT_SECRET: 'service-client-jwt-secret',
      INTROSPECTION_CACHE_TTL_SECONDS: 5,
      JWKS_MAX_AGE_SECONDS: 600,
      REVOCATION_POLL_INTERVAL_SECONDS: 5,
      INTROSPECTION_AUTH_METHOD: 'client_secret_basic',
      INTROSPECTION_PRIVATE_KEY_FILE: 'docs/keys/service-client-pkjwt.private.jwk.json',
      MS_SYSTEM_RESOURCE: 'http://localhost:8091/ms-system',
      REQUIRE_AUDIENCE: false,
      DPOP_REPLAY_STORE: 'postgres',
    });
  });

  it('private_key_jwt needs no secret, but production refuses the playground key', () => {
    expect(loadMsSystemConfig({ INTROSPECTION_AUTH_METHOD: 'private_key_jwt', REQUIRE_AUDIENCE: 'true' })).toMatchObject({
      REQUIRE_AUDIENCE: true,
    });
    expect(() => loadMsSystemConfig({ NODE_ENV: 'production', INTROSPECTION_AUTH_METHOD: 'private_key_jwt' })).toThrow(
      /INTROSPECTION_PRIVATE_KEY_FILE/,
    );
    expect(
      loadMsSystemConfig({
        NODE_ENV: 'production',
        INTROSPECTION_AUTH_METHOD: 'private_key_jwt',
        INTROSPECTION_PRIVATE_KEY_FILE: '/etc/rs.jwk',
      }).NODE_ENV,
    ).toBe('production');
  });

  it('reads every variable from the environment', () => {
    const config = loadMsSystemConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      AUTH_SERVER_URL: 'http://auth-server:8085/ms-auth-server',
      TOKEN_VALIDATION_MODE: 'introspection',
      INTROSPECTION_CLIENT_ID: 'rs',
      INTROSPECTION_CLIENT_SECRET: 's3cret',
      INTROSPECTION_CACHE_TTL_SECONDS: '2',
      REVOCATION_POLL_INTERVAL_SECONDS: '1',
    });
    expect(config).toMatchObject({
      PORT: 9000,
      HOST: '0.0.0.0',
      TOKEN_VALIDATION_MODE: 'introspection',
      INTROSPECTION_CACHE_TTL_SECONDS: 2,
      REVOCATION_POLL_INTERVAL_SECONDS: 1,
    });
  });

  it.each([
    [{ TOKEN_VALIDATION_MODE: 'local' }, 'TOKEN_VALIDATION_MODE'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ AUTH_SERVER_URL: 'not a url' }, 'AUTH_SERVER_URL'],
    [{ REVOCATION_POLL_INTERVAL_SECONDS: '0' }, 'REVOCATION_POLL_INTERVAL_SECONDS'],
    [{ INTROSPECTION_CACHE_TTL_SECONDS: '-5' }, 'INTROSPECTION_CACHE_TTL_SECONDS'],
  ])('fails at boot on %j, naming the variable', (env, name) => {
    expect(() => loadMsSystemConfig(env)).toThrow(new RegExp(`invalid configuration:[\\s\\S]*${name}`));
  });

  it('refuses the seeded introspection secret in production, without printing it', () => {
    let message = '';
    try {
      loadMsSystemConfig({ NODE_ENV: 'production' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('INTROSPECTION_CLIENT_SECRET');
    expect(message).not.toContain('service-client-jwt-secret');
    expect(loadMsSystemConfig({ NODE_ENV: 'production', INTROSPECTION_CLIENT_SECRET: 'real' }).NODE_ENV).toBe('production');
  });
});
