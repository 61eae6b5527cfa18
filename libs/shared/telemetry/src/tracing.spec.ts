import { instrumentationNames } from './tracing';

describe('instrumentationNames (OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS)', () => {
  it('loads http, undici and pg by default, not the NestJS spans', () => {
    expect(instrumentationNames({})).toEqual(['http', 'undici', 'pg']);
  });

  it('loads the NestJS spans when they are enabled by name', () => {
    expect(instrumentationNames({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, nestjs-core' })).toEqual(['http', 'nestjs-core']);
  });

  it('leaves out what is disabled, and ignores unknown names', () => {
    expect(instrumentationNames({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici,express' })).toEqual(['http', 'pg']);
    expect(
      instrumentationNames({
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,nestjs-core,fs',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nestjs-core',
      }),
    ).toEqual(['http']);
  });
});
