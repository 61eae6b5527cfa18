import { Inject, Injectable } from '@nestjs/common';
import { AccessDeniedError, InvalidRequestError } from '@playground/oauth-contracts';
import { ClientAuthenticator, type ClientAuthEndpoint } from '../client-auth/client-authenticator.service';
import type { RegisteredClient } from '../clients/client';
import type { OAuthRequest } from '../http/oauth-request';
import { TOKEN_REPOSITORY, type TokenRepository } from '../tokens/token.repository.port';

export interface RevocationsFeedResponse {
  revocations: Array<{ jti: string; exp: number }>;
  cursor: string;
}

/** A GET without a form: Basic only, and the caller is always read from Postgres. */
const FEED_ENDPOINT: ClientAuthEndpoint = { path: '/oauth2/revocations', methods: ['client_secret_basic'] };

/** The POST form of the feed: any registered method, private_key_jwt included. */
const FEED_FORM_ENDPOINT: ClientAuthEndpoint = { path: '/oauth2/revocations' };

/** Most rows per page; a poller just asks again with the returned cursor. */
const PAGE_SIZE = 1000;

/**
 * The JWT revocation feed for resource servers (docs/adr/0002-jwt-revocation-feed.md): which
 * JWTs were revoked after a cursor. Same callers as introspection: Basic-authenticated clients
 * that may introspect.
 */
@Injectable()
export class RevocationsFeedService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    @Inject(TOKEN_REPOSITORY) private readonly tokens: TokenRepository,
  ) {}

  async feed(
    headers: OAuthRequest['headers'],
    after: unknown,
    sourceAddress?: string,
    now = Math.floor(Date.now() / 1000),
  ): Promise<RevocationsFeedResponse> {
    return this.authenticator.withClient({ headers, params: {}, sourceAddress }, FEED_ENDPOINT, (caller) => this.page(caller, after, now));
  }

  /**
   * The same feed by POST with a form body (`after` and the client authentication parameters), so
   * a resource server authenticating with a client assertion (private_key_jwt) — which lives in
   * the body, never in a URL — can read it too: no shared secret is needed anywhere.
   */
  async feedByForm(
    headers: OAuthRequest['headers'],
    body: unknown,
    sourceAddress?: string,
    now = Math.floor(Date.now() / 1000),
  ): Promise<RevocationsFeedResponse> {
    return this.authenticator.run({ headers, body, sourceAddress }, FEED_FORM_ENDPOINT, (caller, params) =>
      this.page(caller, params['after'], now),
    );
  }

  private async page(caller: RegisteredClient, after: unknown, now: number): Promise<RevocationsFeedResponse> {
    if (!caller.mayIntrospect) {
      throw new AccessDeniedError('the client is not allowed to read revocations', { reason: `${caller.clientId} may not introspect` });
    }
    const cursor = parseCursor(after);
    const rows = await this.tokens.revocationsAfter(cursor, now, PAGE_SIZE);
    let next: string;
    if (rows.length === PAGE_SIZE)
      next = rows[rows.length - 1].id; // more to come: page on
    else if (cursor !== undefined) next = rows.length ? rows[rows.length - 1].id : cursor.toString();
    // First poll: the expired revocations it skipped are behind this cursor too.
    else next = (await this.tokens.lastRevocationId()) ?? '0';
    return { revocations: rows.map(({ jti, exp }) => ({ jti, exp })), cursor: next };
  }
}

function parseCursor(after: unknown): bigint | undefined {
  if (after === undefined || after === '') return undefined;
  if (typeof after !== 'string' || !/^\d{1,19}$/.test(after)) {
    throw new InvalidRequestError("'after' must be a cursor returned by this endpoint");
  }
  return BigInt(after);
}
