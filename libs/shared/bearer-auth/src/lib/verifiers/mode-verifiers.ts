import { Injectable } from '@nestjs/common';
import { type AuthenticatedClient, InvalidTokenError } from '@playground/oauth-contracts';
import { RevocationList } from '../revocation/revocation-list';
import { IntrospectionTokenVerifier } from './introspection-token.verifier';
import { JwtTokenVerifier } from './jwt-token.verifier';
import { looksLikeJwt, type TokenVerifier } from './token-verifier';

/**
 * `jwt` mode: local verification only. No revocation feed is read, so a revoked JWT stays
 * valid until it expires — the classic trade-off of self-contained tokens (ADR 0003).
 */
@Injectable()
export class JwtOnlyVerifier implements TokenVerifier {
  constructor(private readonly jwt: JwtTokenVerifier) {}

  verify(token: string): Promise<AuthenticatedClient> {
    return this.jwt.verify(token);
  }
}

/**
 * `introspection` mode: every token (JWT or opaque) is introspected (cached, see
 * IntrospectionTokenVerifier). The revocations feed additionally cuts a cached "active" short.
 */
@Injectable()
export class IntrospectionOnlyVerifier implements TokenVerifier {
  constructor(
    private readonly introspection: IntrospectionTokenVerifier,
    private readonly revocations: RevocationList,
  ) {}

  async verify(token: string): Promise<AuthenticatedClient> {
    return notRevoked(await this.introspection.verify(token), this.revocations);
  }
}

/**
 * `auto` mode (default): JWT-shaped tokens are verified locally and checked against the
 * revocation list; anything else is introspected. If the revocation list is stale (the feed has
 * not answered within the revocation window), JWTs are introspected too, so the 10 s promise
 * holds whenever the authorization server can answer at all.
 */
@Injectable()
export class AutoVerifier implements TokenVerifier {
  constructor(
    private readonly jwt: JwtTokenVerifier,
    private readonly introspection: IntrospectionTokenVerifier,
    private readonly revocations: RevocationList,
  ) {}

  async verify(token: string): Promise<AuthenticatedClient> {
    // A JWT verified before (the same bytes) is known to be one: no need to parse its header again.
    const remembered = this.jwt.remembered(token);
    if (!remembered && !looksLikeJwt(token)) return notRevoked(await this.introspection.verify(token), this.revocations);
    // The signature is checked first in every case: a forged JWT never costs an introspection call.
    const client = notRevoked(remembered ?? (await this.jwt.verify(token)), this.revocations);
    if (this.revocations.isFresh()) return client;
    return notRevoked(await this.introspection.verify(token), this.revocations);
  }
}

function notRevoked(client: AuthenticatedClient, revocations: RevocationList): AuthenticatedClient {
  if (client.tokenId && revocations.isRevoked(client.tokenId)) {
    throw new InvalidTokenError('the access token was revoked', { reason: `jti ${client.tokenId} is on the revocation list` });
  }
  return client;
}
