import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { TokenClientModule } from './token-client.module';
import { ClientCredentialsTokenManager } from './token-manager';

const SETTINGS = Symbol('SETTINGS');

@Module({ providers: [{ provide: SETTINGS, useValue: { secret: 's3cret' } }], exports: [SETTINGS] })
class SettingsModule {}

@Injectable()
class Caller {
  constructor(@Inject(ClientCredentialsTokenManager) readonly tokens: ClientCredentialsTokenManager) {}
}

describe('TokenClientModule', () => {
  let stub: FakeAuthServer;
  beforeEach(async () => (stub = await startFakeAuthServer()));
  afterEach(() => stub.close());

  it('provides one token manager built from injected configuration', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TokenClientModule.registerAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { secret: string }) => ({ authServerUrl: stub.issuer, clientId: 'svc', clientSecret: settings.secret }),
        }),
      ],
      providers: [Caller],
    }).compile();
    const caller = moduleRef.get(Caller);
    expect(caller.tokens).toBe(moduleRef.get(ClientCredentialsTokenManager));
    await expect(caller.tokens.getAccessToken()).resolves.toBe('token-1');
    expect(Buffer.from((stub.tokenRequests[0].headers.authorization ?? '').slice(6), 'base64').toString()).toBe('svc:s3cret');
  });
});
