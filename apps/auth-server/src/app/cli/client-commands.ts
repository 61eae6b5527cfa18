import { parseArgs } from 'node:util';
import { parseScope } from '@playground/oauth-contracts';
import type { ClientAdminService } from '../clients/client-admin.service';
import type { ClientAuthMethodName, RegisteredClient, TokenFormatName } from '../clients/client';
import type { SigningKeyService } from '../keys/signing-key.service';
import type { ResourceRegistry } from '../resources/resource-registry';

export const USAGE = `usage: npm run clients -- <command> [options]

  create <client_id> [--scope "a b"] [--format opaque|jwt] [--auth client_secret_basic,client_secret_post]
                     [--lifetime <seconds>] [--introspect] [--resources "<uri> …"] [--require-dpop]
        registers a client and prints its secret, once (only an argon2id hash is stored);
        --resources limits the resource indicators (RFC 8707) it may ask tokens for (default: any
        registered one); --require-dpop refuses its token requests without a DPoP proof (RFC 9449)
  add-resource <uri>           registers a resource server's identifier (RFC 8707), e.g. https://api.example.com
  resources                    the registered resource indicators
  list                         the registered clients (never their secrets)
  rotate-secret <client_id>    a new secret, printed once; the old one stops working at once,
                               running servers included (the secret version is re-read per request)
  disable <client_id>          the client can no longer authenticate; its tokens become inactive
  rotate-signing-key           retires the active JWT signing key (kept in the JWKS until its
                               tokens expire); running servers switch within SIGNING_KEY_REFRESH_SECONDS
`;

export interface CommandServices {
  clients: ClientAdminService;
  resources: ResourceRegistry;
  keys: SigningKeyService;
  out: (line: string) => void;
}

/** Runs one CLI command; throws an Error with a user-facing message on bad input. */
export async function runCommand(argv: string[], { clients, resources, keys, out }: CommandServices): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scope: { type: 'string' },
      format: { type: 'string' },
      auth: { type: 'string' },
      lifetime: { type: 'string' },
      introspect: { type: 'boolean' },
      resources: { type: 'string' },
      'require-dpop': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, clientId] = positionals;
  const needId = () => {
    if (!clientId) throw new Error(`${command}: which client? (${USAGE.split('\n')[0]})`);
    return clientId;
  };
  switch (values.help ? 'help' : command) {
    case 'create': {
      const { client, secret } = await clients.create({
        clientId: needId(),
        scopes: values.scope !== undefined ? parseScope(values.scope) : undefined,
        tokenFormat: values.format as TokenFormatName | undefined,
        authMethods: values.auth ? (values.auth.split(',').map((m) => m.trim()) as ClientAuthMethodName[]) : undefined,
        tokenLifetimeSeconds: values.lifetime !== undefined ? Number(values.lifetime) : undefined,
        mayIntrospect: values.introspect ?? false,
        allowedResources: values.resources !== undefined ? await registeredResources(resources, values.resources) : undefined,
        requireDpop: values['require-dpop'] ?? false,
      });
      out(describe(client));
      out(`client_secret: ${secret}`);
      out('The secret is shown only this once; store it now.');
      return;
    }
    case 'list': {
      const all = await clients.list();
      out(all.length ? all.map(describe).join('\n') : '(no clients)');
      return;
    }
    case 'rotate-secret': {
      const secret = await clients.rotateSecret(needId());
      out(`client_id: ${clientId}`);
      out(`client_secret: ${secret}`);
      out('The old secret no longer works. The new one is shown only this once.');
      return;
    }
    case 'disable': {
      await clients.disable(needId());
      out(`client ${clientId} disabled`);
      return;
    }
    case 'add-resource': {
      const uri = positionals[1];
      if (!uri) throw new Error('add-resource: which resource indicator?');
      out((await resources.register(uri)) ? `resource ${uri} registered` : `resource ${uri} was already registered`);
      return;
    }
    case 'resources': {
      out([...(await resources.registered())].join('\n') || '(no resources)');
      return;
    }
    case 'rotate-signing-key': {
      const { retired, active } = await keys.rotate();
      out(`signing key ${active} is active${retired ? `; ${retired} retired` : ''}`);
      return;
    }
    case 'help':
    case undefined:
      out(USAGE);
      return;
    default:
      throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  }
}

function describe(c: RegisteredClient): string {
  return [
    `${c.clientId}${c.enabled ? '' : ' (disabled)'}`,
    `  format: ${c.tokenFormat}, lifetime: ${c.tokenLifetimeSeconds}s, auth: ${c.authMethods.join(' ')}`,
    `  scopes: ${c.scopes.join(' ') || '(none)'}, grants: ${c.grantTypes.join(' ') || '(none)'}, may introspect: ${c.mayIntrospect ? 'yes' : 'no'}`,
    `  resources: ${c.allowedResources ? c.allowedResources.join(' ') || '(none)' : '(any registered)'}, require DPoP: ${c.requireDpop ? 'yes' : 'no'}`,
  ].join('\n');
}

/** `--resources "<uri> …"`: each must already be registered (add-resource), so a typo fails here, not at the first token request. */
async function registeredResources(resources: ResourceRegistry, list: string): Promise<string[]> {
  const wanted = list.split(/\s+/).filter(Boolean);
  const registered = await resources.registered();
  const unknown = wanted.filter((uri) => !registered.has(uri));
  if (unknown.length) throw new Error(`unknown resource(s): ${unknown.join(' ')} (register with add-resource first)`);
  return wanted;
}
