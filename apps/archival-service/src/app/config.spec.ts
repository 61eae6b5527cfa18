import { loadConfig } from '@playground/http-kit';
import { archivalConfigSchema } from './config';

describe('archival-service configuration', () => {
  it('has the playground defaults', () => {
    expect(loadConfig(archivalConfigSchema, {})).toEqual({
      port: 8282,
      host: '127.0.0.1',
      authServerUrl: 'http://localhost:8085/ms-auth-server',
      msSystemUrl: 'http://localhost:8091/ms-system',
      clientId: 'archival-service',
      clientSecret: 'archival-service-secret',
      scope: 'country.read',
      tokenEndpoint: undefined,
      refreshSkewSeconds: 30,
      cron: '0 * * * * *',
      retry: { attempts: 4, initialDelayMs: 500, maxDelayMs: 5000 },
      httpTimeoutMs: 10_000,
      pageSize: 100,
    });
  });

  it('takes 5- and 6-field cron expressions, and "off"', () => {
    expect(loadConfig(archivalConfigSchema, { ARCHIVAL_CRON: '*/5 * * * *' }).cron).toBe('*/5 * * * *');
    expect(loadConfig(archivalConfigSchema, { ARCHIVAL_CRON: '*/10 * * * * *' }).cron).toBe('*/10 * * * * *');
    expect(loadConfig(archivalConfigSchema, { ARCHIVAL_CRON: 'off' }).cron).toBeUndefined();
  });

  it('fails at boot on a bad variable, naming it', () => {
    expect(() => loadConfig(archivalConfigSchema, { ARCHIVAL_CRON: 'every minute' })).toThrow(/ARCHIVAL_CRON: not a cron expression/);
    expect(() => loadConfig(archivalConfigSchema, { MS_SYSTEM_URL: 'ms-system' })).toThrow(/MS_SYSTEM_URL/);
    expect(() => loadConfig(archivalConfigSchema, { ARCHIVAL_PAGE_SIZE: '101' })).toThrow(/ARCHIVAL_PAGE_SIZE/);
  });

  it('refuses the seeded secret in production, without printing it', () => {
    const attempt = () => loadConfig(archivalConfigSchema, { NODE_ENV: 'production' });
    expect(attempt).toThrow(/ARCHIVAL_CLIENT_SECRET: the seeded playground secret is refused in production/);
    expect(attempt).not.toThrow(/archival-service-secret/);
    expect(loadConfig(archivalConfigSchema, { NODE_ENV: 'production', ARCHIVAL_CLIENT_SECRET: 'a-real-one' }).clientSecret).toBe(
      'a-real-one',
    );
  });
});
