import { randomBytes } from 'node:crypto';
import { configSchema, loadAuthServerConfig, PLAYGROUND_KEY_ENCRYPTION_KEY } from './config';

const KEK = randomBytes(32).toString('base64');

describe('auth-server configuration (zod, validated at boot)', () => {
  it('has the playground defaults', () => {
    expect(configSchema.parse({})).toEqual({
      NODE_ENV: 'development',
      PORT: 8085,
      HOST: '127.0.0.1',
      TRUST_PROXY: false,
      ISSUER: 'http://localhost:8085/ms-auth-server',
      SEEDED_TOKEN_LIFETIME_SECONDS: 14400,
      DEFAULT_TOKEN_LIFETIME_SECONDS: 300,
      ARCHIVAL_CLIENT_SECRET: 'archival-service-secret',
      SECRET_CACHE_TTL_SECONDS: 60,
      SECRET_CACHE_MAX_ENTRIES: 10000,
      SIGNING_KEY_REFRESH_SECONDS: 30,
      CORS_ALLOWED_ORIGINS: ['http://localhost:8091', 'http://127.0.0.1:8091'],
      SIGNING_KEY_PREPUBLISH_SECONDS: 660,
      FAILED_AUTH_LIMIT_PER_CLIENT: 10,
      FAILED_AUTH_LIMIT_PER_ADDRESS: 100,
      FAILED_AUTH_WINDOW_SECONDS: 60,
      FAILED_AUTH_BLOCK_SECONDS: 60,
      FAILED_AUTH_THROTTLE_DELAY_MS: 500,
      ARGON2_MAX_CONCURRENCY: 1,
      ARGON2_MAX_WAITING: 64,
      MS_SYSTEM_RESOURCE: 'http://localhost:8091/ms-system',
      RESOURCE_REFRESH_SECONDS: 30,
      DPOP_PROOF_MAX_AGE_SECONDS: 60,
      DPOP_PROOF_MAX_FUTURE_SECONDS: 10,
      JANITOR_CRON: '0 */10 * * * *',
      JANITOR_GRACE_SECONDS: 3600,
      JANITOR_BATCH_SIZE: 5000,
      AUDIT_RETENTION_DAYS: 90,
      SIGNING_KEY_ENCRYPTION_KEY: PLAYGROUND_KEY_ENCRYPTION_KEY,
      SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: [],
      JWKS_URI_ALLOW_PRIVATE_ADDRESSES: false,
      CLIENT_JWKS_CACHE_SECONDS: 300,
      CLIENT_JWKS_REFETCH_COOLDOWN_SECONDS: 30,
    });
  });

  it('refuses the published key-encryption key in production, and any key that is not 256 bits', () => {
    expect(() => loadAuthServerConfig({ NODE_ENV: 'production' })).toThrow(/SIGNING_KEY_ENCRYPTION_KEY: the playground default/);
    expect(() => loadAuthServerConfig({ SIGNING_KEY_ENCRYPTION_KEY: 'c2hvcnQ' })).toThrow(/SIGNING_KEY_ENCRYPTION_KEY: a 256-bit key/);
    expect(() => loadAuthServerConfig({ SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: `${KEK},short` })).toThrow(
      /SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS/,
    );
    expect(
      loadAuthServerConfig({ NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: KEK, SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: ` ${KEK} ` }),
    ).toMatchObject({
      SIGNING_KEY_ENCRYPTION_KEY: KEK,
      SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: [KEK],
    });
  });

  it('turns the janitor schedule off with JANITOR_CRON=off, and refuses a zero batch', () => {
    expect(loadAuthServerConfig({ JANITOR_CRON: 'off' }).JANITOR_CRON).toBeUndefined();
    expect(loadAuthServerConfig({ JANITOR_CRON: ' */5 * * * * ' }).JANITOR_CRON).toBe('*/5 * * * *');
    expect(() => loadAuthServerConfig({ JANITOR_BATCH_SIZE: '0' })).toThrow(/JANITOR_BATCH_SIZE/);
  });

  it('reads overrides from the environment and drops a trailing slash from the issuer', () => {
    const config = loadAuthServerConfig({
      PORT: '9000',
      ISSUER: 'https://auth.example/ms-auth-server/',
      NODE_ENV: 'production',
      SIGNING_KEY_ENCRYPTION_KEY: KEK,
    });
    expect(config).toMatchObject({ PORT: 9000, ISSUER: 'https://auth.example/ms-auth-server', NODE_ENV: 'production' });
  });

  it('fails at boot naming the bad variable, never echoing a value', () => {
    expect(() => loadAuthServerConfig({ PORT: 'eighty', ARCHIVAL_CLIENT_SECRET: '' })).toThrow(/PORT[\s\S]*ARCHIVAL_CLIENT_SECRET/);
    try {
      loadAuthServerConfig({ ISSUER: 'not a url with secret-ish-value' });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-ish-value');
    }
  });
});
