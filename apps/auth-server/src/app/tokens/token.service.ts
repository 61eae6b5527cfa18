import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClientChangedError, type ClientConfirmation } from '../client-auth/client-changed.error';
import type { RegisteredClient } from '../clients/client';
import { TOKEN_FORMAT_LIST, type TokenFormat } from './token-format';
import { TOKEN_REPOSITORY, type StoredToken, type TokenRepository } from './token.repository.port';
import { oauthTelemetry } from '@playground/telemetry';

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/** Longest token worth looking at; anything bigger is not one of ours. */
const MAX_TOKEN_LENGTH = 4096;

/** Issues tokens in the client's format and finds presented tokens again, whatever their format. */
@Injectable()
export class TokenService {
  constructor(
    @Inject(TOKEN_FORMAT_LIST) private readonly formats: TokenFormat[],
    @Inject(TOKEN_REPOSITORY) private readonly tokens: TokenRepository,
  ) {}

  /**
   * `binding.audience`: RFC 8707 resources (already validated); `binding.jkt`: RFC 9449 key
   * thumbprint. Both are stored with the token, so introspection answers them for any format.
   */
  async issue(
    client: RegisteredClient,
    scopes: string[],
    binding: { audience?: string[]; jkt?: string } = {},
    now = Math.floor(Date.now() / 1000),
  ): Promise<IssuedAccessToken> {
    const format = this.formats.find((f) => f.name === client.tokenFormat);
    if (!format) throw new Error(`no token format "${client.tokenFormat}"`);
    const scope = scopes.join(' ');
    const iat = now;
    const exp = now + client.tokenLifetimeSeconds;
    const jti = randomUUID();
    const { accessToken, record } = await format.generate({ client, scope, jti, iat, exp, audience: binding.audience, jkt: binding.jkt });
    // Token row + audit row, written only if the client is still enabled at the secret version
    // it was authenticated with (the authentication may have come from cache). Resolves after the
    // commit (the repository may share it with concurrent issues: group commit).
    const stored = await this.tokens.insertIssued(
      { ...record, clientId: client.clientId, scope, iat, exp },
      { clientId: client.clientId, secretVersion: client.secretVersion },
      {
        jti,
        format: format.name,
        scope,
        exp,
        ...(binding.audience ? { audience: binding.audience } : {}),
        ...(binding.jkt ? { dpop: true } : {}),
      },
    );
    if (!stored) throw new ClientChangedError(client.clientId);
    oauthTelemetry.tokenIssued({ clientId: client.clientId, tokenFormat: format.name, scopes, kid: record.kid });
    return { accessToken, expiresIn: exp - now, scope };
  }

  /**
   * The stored record of a presented token, found by its shape (never by the caller's
   * `token_type_hint`, so a wrong hint cannot hide a token), or undefined.
   */
  async find(token: string): Promise<StoredToken | undefined> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
    for (const format of this.formats) {
      const lookup = await format.identify(token);
      if (!lookup) continue;
      const stored = await this.tokens.find(lookup);
      if (stored && stored.format === format.name) return stored;
    }
    return undefined;
  }

  /**
   * `find` for a caller whose authentication may have come from cache: the same statement that
   * reads the token confirms the caller is still enabled at its secret version (a token nobody
   * can identify still costs that one check). Throws ClientChangedError if it is not.
   */
  async findForCaller(token: string, caller: ClientConfirmation): Promise<StoredToken | undefined> {
    let confirmed = false;
    if (token && token.length <= MAX_TOKEN_LENGTH) {
      for (const format of this.formats) {
        const lookup = await format.identify(token);
        if (!lookup) continue;
        const { callerValid, token: stored } = await this.tokens.findForCaller(lookup, caller);
        if (!callerValid) throw new ClientChangedError(caller.clientId);
        confirmed = true;
        if (stored && stored.format === format.name) return stored;
      }
    }
    if (!confirmed && !(await this.tokens.findForCaller(undefined, caller)).callerValid) throw new ClientChangedError(caller.clientId);
    return undefined;
  }

  /** Active per RFC 7662 §2.2: issued here, not expired, not revoked, client still enabled. */
  static isActive(token: StoredToken, now = Math.floor(Date.now() / 1000)): boolean {
    return token.revokedAt === null && token.clientEnabled && token.exp > now;
  }
}
