import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientAdminService } from '../clients/client-admin.service';
import type { JanitorService } from '../janitor/janitor.service';
import type { SigningKeyService } from '../keys/signing-key.service';
import type { ResourceRegistry } from '../resources/resource-registry';
import { aClient } from '../testing/fixtures';
import { runCommand } from './client-commands';

describe('client admin CLI commands', () => {
  const clients = {
    create: jest.fn(async (input: { clientId: string }) => ({
      client: aClient({ clientId: input.clientId, seeded: false, tokenLifetimeSeconds: 300 }),
      secret: 'the-new-secret',
    })),
    list: jest.fn(async () => [aClient(), aClient({ clientId: 'gone', enabled: false })]),
    rotateSecret: jest.fn(async () => 'rotated-secret'),
    disable: jest.fn(async () => undefined),
    setKeys: jest.fn(async () => undefined),
  };
  const keys = {
    rotate: jest.fn(async () => [
      { alg: 'RS256', retired: 'old', active: 'new' },
      { alg: 'ES256', active: 'first-es' },
    ]),
    resealAll: jest.fn(async () => 4),
  };
  const resources = {
    registered: jest.fn(async () => new Set(['http://localhost:8091/ms-system', 'urn:playground:reports'])),
    register: jest.fn(async () => true),
  };
  const janitor = {
    sweep: jest.fn(async () => ({ tokens: 3, revocations: 1, replayEntries: 4, auditEvents: 2, batches: 1, yielded: false })),
  };
  let lines: string[];
  const run = (...argv: string[]) =>
    runCommand(argv, {
      clients: clients as unknown as ClientAdminService,
      resources: resources as unknown as ResourceRegistry,
      keys: keys as unknown as SigningKeyService,
      janitor: janitor as unknown as JanitorService,
      out: (l) => lines.push(l),
    });

  beforeEach(() => {
    lines = [];
    jest.clearAllMocks();
  });

  it('create registers the client with the given options and prints the secret once', async () => {
    await run('create', 'reporting', '--scope', 'country.read customer.read', '--format', 'jwt', '--lifetime', '600', '--introspect');
    expect(clients.create).toHaveBeenCalledWith({
      clientId: 'reporting',
      scopes: ['country.read', 'customer.read'],
      tokenFormat: 'jwt',
      authMethods: undefined,
      tokenLifetimeSeconds: 600,
      mayIntrospect: true,
      allowedResources: undefined,
      requireDpop: false,
    });
    expect(lines.filter((l) => l.includes('the-new-secret'))).toEqual(['client_secret: the-new-secret']);
  });

  it('create --resources limits the client to registered resource indicators (RFC 8707); --require-dpop (RFC 9449)', async () => {
    await run('create', 'reports-reader', '--resources', 'urn:playground:reports', '--require-dpop');
    expect(clients.create).toHaveBeenCalledWith(
      expect.objectContaining({ allowedResources: ['urn:playground:reports'], requireDpop: true }),
    );
    await expect(run('create', 'typo', '--resources', 'urn:playground:report')).rejects.toThrow(
      'unknown resource(s): urn:playground:report',
    );
  });

  it('list shows clients and never a secret', async () => {
    await run('list');
    const output = lines.join('\n');
    expect(output).toContain('user-client-opaque');
    expect(output).toContain('gone (disabled)');
    expect(output).not.toMatch(/secret:/);
  });

  it('rotate-secret prints the new secret', async () => {
    await run('rotate-secret', 'user-client-opaque');
    expect(clients.rotateSecret).toHaveBeenCalledWith('user-client-opaque', 0);
    expect(lines).toContain('client_secret: rotated-secret');
    expect(lines).toContain('The old secret no longer works. The new one is shown only this once.');
  });

  it('rotate-secret --grace keeps the old secret for that many seconds, and says so', async () => {
    await run('rotate-secret', 'user-client-opaque', '--grace', '600');
    expect(clients.rotateSecret).toHaveBeenCalledWith('user-client-opaque', 600);
    expect(lines).toContain('The old secret keeps working for 600 s, then stops. The new one is shown only this once.');
  });

  it('create --auth private_key_jwt --jwks <file> reads the file, passes the keys and the algorithm on, and prints no secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] }));
    clients.create.mockResolvedValueOnce({
      client: aClient({ clientId: 'signer', authMethods: ['private_key_jwt'] }),
      secret: undefined as unknown as string,
    });
    await run('create', 'signer', '--auth', 'private_key_jwt', '--jwks', file, '--alg', 'EdDSA', '--format', 'jwt');
    expect(clients.create).toHaveBeenCalledWith(
      expect.objectContaining({
        authMethods: ['private_key_jwt'],
        tokenSigningAlg: 'EdDSA',
        jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] },
      }),
    );
    expect(lines.join('\n')).not.toMatch(/client_secret:/);
    expect(lines.join('\n')).toMatch(/No secret/);
  });

  it('create --jwks-uri passes the URL on; --alg must be one of the four', async () => {
    await run('create', 'remote', '--auth', 'private_key_jwt', '--jwks-uri', 'https://client.example/jwks');
    expect(clients.create).toHaveBeenCalledWith(expect.objectContaining({ jwksUri: 'https://client.example/jwks' }));
    await expect(run('create', 'x', '--alg', 'HS256')).rejects.toThrow(/--alg: one of RS256, PS256, ES256, EdDSA/);
  });

  it('set-keys replaces the keys; a missing file is a clear error', async () => {
    await run('set-keys', 'service-client-pkjwt', '--jwks-uri', 'https://client.example/jwks');
    expect(clients.setKeys).toHaveBeenCalledWith('service-client-pkjwt', { jwksUri: 'https://client.example/jwks' });
    await expect(run('set-keys', 'service-client-pkjwt', '--jwks', '/nonexistent/jwks.json')).rejects.toThrow(
      /--jwks \/nonexistent\/jwks.json: ENOENT/,
    );
  });

  it('rotate-key-encryption-key re-seals the signing keys', async () => {
    await run('rotate-key-encryption-key');
    expect(keys.resealAll).toHaveBeenCalled();
    expect(lines).toEqual(['4 signing key(s) re-sealed under the current SIGNING_KEY_ENCRYPTION_KEY']);
  });

  it('disable disables', async () => {
    await run('disable', 'user-client-opaque');
    expect(clients.disable).toHaveBeenCalledWith('user-client-opaque');
  });

  it('rotate-signing-key --now rotates every algorithm at once, or one with --alg', async () => {
    await run('rotate-signing-key', '--now');
    expect(keys.rotate).toHaveBeenLastCalledWith({ alg: undefined, now: true });
    expect(lines).toEqual(['RS256 signing key new is active; old retired', 'ES256 signing key first-es is active']);
    await run('rotate-signing-key', '--alg', 'ES256', '--now');
    expect(keys.rotate).toHaveBeenLastCalledWith({ alg: 'ES256', now: true });
  });

  it('rotate-signing-key pre-publishes and says when the new key signs', async () => {
    keys.rotate.mockResolvedValueOnce([
      { alg: 'RS256', retired: 'old', active: 'new', activatesAt: new Date('2030-01-01T00:11:00Z') },
    ] as never);
    await run('rotate-signing-key');
    expect(keys.rotate).toHaveBeenLastCalledWith({ alg: undefined, now: false });
    expect(lines).toEqual(['RS256 signing key new is published and signs from 2030-01-01T00:11:00.000Z; old signs until then']);
  });

  it('janitor sweeps with the given batch size and prints what it deleted', async () => {
    await run('janitor', '--batch-size', '500');
    expect(janitor.sweep).toHaveBeenCalledWith({ batchSize: 500 });
    expect(lines).toEqual(['deleted 3 expired tokens, 1 revocations, 4 assertion jtis, 2 audit rows in 1 batches']);
    await expect(run('janitor', '--batch-size', 'lots')).rejects.toThrow('--batch-size must be a whole number');
  });

  it('refuses an unknown command or a missing client id', async () => {
    await expect(run('frobnicate')).rejects.toThrow('unknown command "frobnicate"');
    await expect(run('disable')).rejects.toThrow('disable: which client?');
  });
});
