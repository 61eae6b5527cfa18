import { startFakeAuthServer, type FakeAuthServer } from '@playground/testing';
import { resolveOptions, type BearerAuthOptions, type TokenValidationMode } from '../bearer-auth.options';
import { AuthorizationServerClient } from '../metadata/authorization-server.client';
import { IntrospectionTokenVerifier } from '../verifiers/introspection-token.verifier';
import { JwtTokenVerifier } from '../verifiers/jwt-token.verifier';
import { AutoVerifier, IntrospectionOnlyVerifier, JwtOnlyVerifier } from '../verifiers/mode-verifiers';
import type { TokenVerifier } from '../verifiers/token-verifier';
import { RevocationList } from './revocation-list';

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('revocation reaches the resource server (revocations feed)', () => {
  let fake: FakeAuthServer;
  const lists: RevocationList[] = [];
  beforeAll(async () => (fake = await startFakeAuthServer()));
  afterEach(() => lists.splice(0).forEach((l) => l.onApplicationShutdown()));
  afterAll(() => fake.close());

  function build(mode: TokenValidationMode, extra: Partial<BearerAuthOptions> = {}) {
    const options = resolveOptions({ authServerUrl: fake.issuer, mode, revocation: { pollIntervalSeconds: 1 }, ...extra });
    const client = new AuthorizationServerClient(options);
    const revocations = new RevocationList(options, client);
    lists.push(revocations);
    const jwt = new JwtTokenVerifier(options, client);
    const introspection = new IntrospectionTokenVerifier(options, client);
    const verifier: TokenVerifier =
      mode === 'auto'
        ? new AutoVerifier(jwt, introspection, revocations)
        : mode === 'jwt'
          ? new JwtOnlyVerifier(jwt)
          : new IntrospectionOnlyVerifier(introspection, revocations);
    return { verifier, revocations };
  }

  it('auto: a revoked JWT is refused after the next poll, without introspecting', async () => {
    const { verifier, revocations } = build('auto');
    await revocations.poll();
    const token = await fake.jwt({ jti: 'auto-revoked' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ validatedBy: 'jwt', tokenId: 'auto-revoked' });
    const introspections = fake.calls.introspect;
    fake.revoke('auto-revoked', now() + 300);
    await revocations.poll();
    await expect(verifier.verify(token)).rejects.toMatchObject({
      code: 'invalid_token',
      status: 401,
      description: 'the access token was revoked',
    });
    expect(fake.calls.introspect).toBe(introspections);
  });

  it('auto: the poller picks a revocation up by itself within the poll interval', async () => {
    const { verifier, revocations } = build('auto');
    revocations.onApplicationBootstrap();
    await revocations.poll();
    const token = await fake.jwt({ jti: 'auto-timer' });
    await verifier.verify(token);
    fake.revoke('auto-timer', now() + 300);
    await sleep(1_300);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('auto: the first poll (no cursor) learns every earlier revocation', async () => {
    const token = await fake.jwt({ jti: 'revoked-before-start' });
    fake.revoke('revoked-before-start', now() + 300);
    const { verifier, revocations } = build('auto');
    await revocations.poll();
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('auto: while the feed is stale, JWTs are checked by introspection instead', async () => {
    const { verifier, revocations } = build('auto');
    expect(revocations.isFresh()).toBe(false); // never polled
    const token = await fake.jwt({ jti: 'stale-feed' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ validatedBy: 'introspection' });
    fake.revoke('stale-feed', now() + 300);
    const { verifier: fresh } = build('auto');
    await expect(fresh.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('introspection: a revoked opaque token is refused once the cached answer ages out', async () => {
    const { verifier } = build('introspection', { introspection: { cacheTtlSeconds: 1 } });
    const token = fake.opaque({ jti: 'opaque-revoked' });
    await verifier.verify(token);
    fake.revoke('opaque-revoked', now() + 300);
    await sleep(1_100);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('introspection: the feed cuts a cached "active" short', async () => {
    const { verifier, revocations } = build('introspection', { introspection: { cacheTtlSeconds: 60 } });
    const token = fake.opaque({ jti: 'opaque-feed' });
    await verifier.verify(token);
    fake.revoke('opaque-feed', now() + 300);
    await revocations.poll();
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'invalid_token', description: 'the access token was revoked' });
  });

  it('jwt: the classic trade-off — a revoked JWT stays valid until it expires, and no feed is polled', async () => {
    const { verifier, revocations } = build('jwt');
    const polls = fake.calls.revocations;
    revocations.onApplicationBootstrap();
    const token = await fake.jwt({ jti: 'jwt-mode' });
    fake.revoke('jwt-mode', now() + 300);
    await sleep(1_200);
    await expect(verifier.verify(token)).resolves.toMatchObject({ tokenId: 'jwt-mode' });
    expect(fake.calls.revocations).toBe(polls);
  });

  it('forgets a revoked jti once its token has expired (bounded set)', async () => {
    const { revocations } = build('auto');
    fake.revoke('long-gone', now() - 3600);
    await revocations.poll();
    expect(revocations.isRevoked('long-gone')).toBe(false);
    expect(revocations.isRevoked('auto-revoked')).toBe(true);
  });
});
