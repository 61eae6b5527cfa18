import { parseArgs } from 'node:util';
import { parseScope } from '@playground/oauth-contracts';
import type { ClientAdminService } from '../clients/client-admin.service';
import type { ClientAuthMethodName, RegisteredClient, TokenFormatName } from '../clients/client';
import type { SigningKeyService } from '../keys/signing-key.service';

export const USAGE = `usage: npm run clients -- <command> [options]

  create <client_id> [--scope "a b"] [--format opaque|jwt] [--auth client_secret_basic,client_secret_post]
                     [--lifetime <seconds>] [--introspect]
        registers a client and prints its secret, once (only an argon2id hash is stored)
  list                         the registered clients (never their secrets)
  rotate-secret <client_id>    a new secret, printed once; the old one stops working at once,
                               running servers included (the secret version is re-read per request)
  disable <client_id>          the client can no longer authenticate; its tokens become inactive
  rotate-signing-key [--now]   publishes a new JWT signing key in the JWKS at once and signs with
                               it after SIGNING_KEY_PREPUBLISH_SECONDS (default 660), so resource
                               servers know it before any token does; the old key is kept in the
                               JWKS until its tokens expire. --now (key compromise): signs with the
                               new key at once; resource servers with an older JWKS cache refuse
                               its tokens until they refetch (up to their refetch cooldown)
`;

export interface CommandServices {
  clients: ClientAdminService;
  keys: SigningKeyService;
  out: (line: string) => void;
}

/** Runs one CLI command; throws an Error with a user-facing message on bad input. */
export async function runCommand(argv: string[], { clients, keys, out }: CommandServices): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scope: { type: 'string' },
      format: { type: 'string' },
      auth: { type: 'string' },
      lifetime: { type: 'string' },
      introspect: { type: 'boolean' },
      now: { type: 'boolean' },
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
    case 'rotate-signing-key': {
      const { retired, active, activatesAt } = await keys.rotate({ now: values.now ?? false });
      if (activatesAt) {
        out(`signing key ${active} is published and signs from ${activatesAt.toISOString()}${retired ? `; ${retired} signs until then` : ''}`);
      } else {
        out(`signing key ${active} is active${retired ? `; ${retired} retired` : ''}`);
      }
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
  ].join('\n');
}
