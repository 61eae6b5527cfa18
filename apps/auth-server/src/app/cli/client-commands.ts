import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseScope } from '@playground/oauth-contracts';
import type { ClientAdminService } from '../clients/client-admin.service';
import type { ClientAuthMethodName, RegisteredClient, TokenFormatName } from '../clients/client';
import type { JanitorService } from '../janitor/janitor.service';
import { isSigningAlg, SIGNING_ALGS, type SigningAlg } from '../keys/signing-algorithms';
import type { SigningKeyService } from '../keys/signing-key.service';
import type { ResourceRegistry } from '../resources/resource-registry';

export const USAGE = `usage: npm run clients -- <command> [options]

  create <client_id> [--scope "a b"] [--format opaque|jwt] [--alg RS256|PS256|ES256|EdDSA]
                     [--auth client_secret_basic,client_secret_post,private_key_jwt]
                     [--jwks <file> | --jwks-uri <url>] [--lifetime <seconds>] [--introspect]
                     [--resources "<uri> …"] [--require-dpop]
        registers a client and prints its secret, once (only an argon2id hash is stored).
        --alg: how its JWT access tokens are signed (default RS256).
        --auth private_key_jwt needs the client's PUBLIC keys: a JWK Set file (private members
        are refused) or a jwks_uri (https, fetched and cached; an unknown kid refetches).
        A client that authenticates by private_key_jwt only gets no secret.
        --resources limits the resource indicators (RFC 8707) it may ask tokens for (default: any
        registered one); --require-dpop refuses its token requests without a DPoP proof (RFC 9449).
  add-resource <uri>           registers a resource server's identifier (RFC 8707), e.g. https://api.example.com
  resources                    the registered resource indicators
  list                         the registered clients (never their secrets)
  rotate-secret <client_id> [--grace <seconds>]
                               a new secret, printed once; the old one stops working at once,
                               running servers included — or, with --grace, keeps working that
                               many seconds beside the new one (two live secrets)
  set-keys <client_id> --jwks <file> | --jwks-uri <url>
                               replaces a private_key_jwt client's keys; the old ones stop at once
  disable <client_id>          the client can no longer authenticate; its tokens become inactive
  rotate-signing-key [--alg RS256|PS256|ES256|EdDSA] [--now]
                               publishes a new JWT signing key (of every algorithm, or of one) in
                               the JWKS at once and signs with it after SIGNING_KEY_PREPUBLISH_SECONDS
                               (default 660), so resource servers know it before any token does; the
                               old key is kept in the JWKS until its tokens expire. --now (key
                               compromise): signs with the new key at once; resource servers with an
                               older JWKS cache refuse its tokens until they refetch (up to their
                               refetch cooldown)
  rotate-key-encryption-key    re-seals every signing key under SIGNING_KEY_ENCRYPTION_KEY; run it
                               with the old key in SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS, then drop it
  janitor [--batch-size <rows>]
        deletes tokens (and their revocation-feed rows) and spent client-assertion jtis expired more
        than JANITOR_GRACE_SECONDS ago, and audit rows older than AUDIT_RETENTION_DAYS, in batches; prints what it deleted
`;

export interface CommandServices {
  clients: ClientAdminService;
  resources: ResourceRegistry;
  keys: SigningKeyService;
  janitor: JanitorService;
  out: (line: string) => void;
}

/** Runs one CLI command; throws an Error with a user-facing message on bad input. */
export async function runCommand(argv: string[], { clients, resources, keys, janitor, out }: CommandServices): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scope: { type: 'string' },
      format: { type: 'string' },
      auth: { type: 'string' },
      lifetime: { type: 'string' },
      introspect: { type: 'boolean' },
      'batch-size': { type: 'string' },
      now: { type: 'boolean' },
      resources: { type: 'string' },
      'require-dpop': { type: 'boolean' },
      alg: { type: 'string' },
      jwks: { type: 'string' },
      'jwks-uri': { type: 'string' },
      grace: { type: 'string' },
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
        ...(values.alg !== undefined ? { tokenSigningAlg: signingAlg(values.alg) } : {}),
        ...keysFrom(values),
      });
      out(describe(client));
      if (secret !== undefined) {
        out(`client_secret: ${secret}`);
        out('The secret is shown only this once; store it now.');
      } else {
        out('No secret: the client authenticates with assertions signed by its private key (private_key_jwt).');
      }
      return;
    }
    case 'set-keys': {
      await clients.setKeys(needId(), keysFrom(values));
      out(`client ${clientId}: keys replaced; assertions signed with the old keys are refused from now on`);
      return;
    }
    case 'list': {
      const all = await clients.list();
      out(all.length ? all.map(describe).join('\n') : '(no clients)');
      return;
    }
    case 'rotate-secret': {
      const grace = values.grace !== undefined ? Number(values.grace) : 0;
      const secret = await clients.rotateSecret(needId(), grace);
      out(`client_id: ${clientId}`);
      out(`client_secret: ${secret}`);
      out(
        grace > 0
          ? `The old secret keeps working for ${grace} s, then stops. The new one is shown only this once.`
          : 'The old secret no longer works. The new one is shown only this once.',
      );
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
      const alg = values.alg !== undefined ? signingAlg(values.alg) : undefined;
      for (const { alg: keyAlg, retired, active, activatesAt } of await keys.rotate({ alg, now: values.now ?? false })) {
        if (activatesAt) {
          out(
            `${keyAlg} signing key ${active} is published and signs from ${activatesAt.toISOString()}${retired ? `; ${retired} signs until then` : ''}`,
          );
        } else {
          out(`${keyAlg} signing key ${active} is active${retired ? `; ${retired} retired` : ''}`);
        }
      }
      return;
    }
    case 'janitor': {
      const size = values['batch-size'];
      if (size !== undefined && !/^[1-9]\d{0,5}$/.test(size))
        throw new Error('janitor: --batch-size must be a whole number of rows, 1 to 999999');
      const report = await janitor.sweep({ batchSize: size === undefined ? undefined : Number(size) });
      if (report.yielded) out('another instance is running the janitor; it deletes the rest');
      out(
        `deleted ${report.tokens} expired tokens, ${report.revocations} revocations, ${report.replayEntries} assertion jtis, ${report.auditEvents} audit rows in ${report.batches} batches`,
      );
      return;
    }
    case 'rotate-key-encryption-key': {
      const changed = await keys.resealAll();
      out(`${changed} signing key(s) re-sealed under the current SIGNING_KEY_ENCRYPTION_KEY`);
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

function signingAlg(value: string): SigningAlg {
  if (!isSigningAlg(value)) throw new Error(`--alg: one of ${SIGNING_ALGS.join(', ')}`);
  return value;
}

/** `--jwks <file>` (read and parsed here; validated by the admin service) or `--jwks-uri <url>`. */
function keysFrom(values: { jwks?: string; 'jwks-uri'?: string }): { jwks?: unknown; jwksUri?: string } {
  const keys: { jwks?: unknown; jwksUri?: string } = {};
  if (values.jwks !== undefined) {
    try {
      keys.jwks = JSON.parse(readFileSync(values.jwks, 'utf8'));
    } catch (error) {
      throw new Error(`--jwks ${values.jwks}: ${(error as Error).message}`);
    }
  }
  if (values['jwks-uri'] !== undefined) keys.jwksUri = values['jwks-uri'];
  return keys;
}

function describe(c: RegisteredClient): string {
  const keys = c.jwksUri ? `, jwks_uri: ${c.jwksUri}` : c.jwks ? `, keys: ${c.jwks.keys.map((k) => k['kid'] ?? k['kty']).join(' ')}` : '';
  return [
    `${c.clientId}${c.enabled ? '' : ' (disabled)'}`,
    `  format: ${c.tokenFormat}${c.tokenFormat === 'jwt' ? ` (${c.tokenSigningAlg})` : ''}, lifetime: ${c.tokenLifetimeSeconds}s, auth: ${c.authMethods.join(' ')}${keys}`,
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
