import type { ClientAdminService } from '../clients/client-admin.service';
import type { SigningKeyService } from '../keys/signing-key.service';
import type { ResourceRegistry } from '../resources/resource-registry';
import { aClient } from '../testing/fixtures';
import { runCommand } from './client-commands';

describe('client admin CLI commands', () => {
  const clients = {
    create: jest.fn(async (input: { clientId: string }) => ({ client: aClient({ clientId: input.clientId, seeded: false, tokenLifetimeSeconds: 300 }), secret: 'the-new-secret' })),
    list: jest.fn(async () => [aClient(), aClient({ clientId: 'gone', enabled: false })]),
    rotateSecret: jest.fn(async () => 'rotated-secret'),
    disable: jest.fn(async () => undefined),
  };
  const keys = { rotate: jest.fn(async () => ({ retired: 'old', active: 'new' })) };
  const resources = {
    registered: jest.fn(async () => new Set(['http://localhost:8091/ms-system', 'urn:playground:reports'])),
    register: jest.fn(async () => true),
  };
  let lines: string[];
  const run = (...argv: string[]) =>
    runCommand(argv, {
      clients: clients as unknown as ClientAdminService,
      resources: resources as unknown as ResourceRegistry,
      keys: keys as unknown as SigningKeyService,
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
    expect(clients.create).toHaveBeenCalledWith(expect.objectContaining({ allowedResources: ['urn:playground:reports'], requireDpop: true }));
    await expect(run('create', 'typo', '--resources', 'urn:playground:report')).rejects.toThrow('unknown resource(s): urn:playground:report');
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
    expect(clients.rotateSecret).toHaveBeenCalledWith('user-client-opaque');
    expect(lines).toContain('client_secret: rotated-secret');
  });

  it('disable disables', async () => {
    await run('disable', 'user-client-opaque');
    expect(clients.disable).toHaveBeenCalledWith('user-client-opaque');
  });

  it('rotate-signing-key rotates', async () => {
    await run('rotate-signing-key');
    expect(lines).toEqual(['signing key new is active; old retired']);
  });

  it('refuses an unknown command or a missing client id', async () => {
    await expect(run('frobnicate')).rejects.toThrow('unknown command "frobnicate"');
    await expect(run('disable')).rejects.toThrow('disable: which client?');
  });
});
