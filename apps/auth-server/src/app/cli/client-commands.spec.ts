import type { ClientAdminService } from '../clients/client-admin.service';
import type { SigningKeyService } from '../keys/signing-key.service';
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
  let lines: string[];
  const run = (...argv: string[]) =>
    runCommand(argv, { clients: clients as unknown as ClientAdminService, keys: keys as unknown as SigningKeyService, out: (l) => lines.push(l) });

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
    });
    expect(lines.filter((l) => l.includes('the-new-secret'))).toEqual(['client_secret: the-new-secret']);
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

  it('rotate-signing-key --now rotates at once', async () => {
    await run('rotate-signing-key', '--now');
    expect(keys.rotate).toHaveBeenLastCalledWith({ now: true });
    expect(lines).toEqual(['signing key new is active; old retired']);
  });

  it('rotate-signing-key pre-publishes and says when the new key signs', async () => {
    keys.rotate.mockResolvedValueOnce({ retired: 'old', active: 'new', activatesAt: new Date('2030-01-01T00:11:00Z') } as never);
    await run('rotate-signing-key');
    expect(keys.rotate).toHaveBeenLastCalledWith({ now: false });
    expect(lines).toEqual(['signing key new is published and signs from 2030-01-01T00:11:00.000Z; old signs until then']);
  });

  it('refuses an unknown command or a missing client id', async () => {
    await expect(run('frobnicate')).rejects.toThrow('unknown command "frobnicate"');
    await expect(run('disable')).rejects.toThrow('disable: which client?');
  });
});
