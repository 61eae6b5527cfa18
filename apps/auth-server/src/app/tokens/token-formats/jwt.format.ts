import { Inject, Injectable } from '@nestjs/common';
import { jwtVerify, SignJWT } from 'jose';
import type { AccessTokenClaims } from '@playground/oauth-contracts';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../../config';
import { SIGNING_ALGS } from '../../keys/signing-algorithms';
import { SigningKeyService } from '../../keys/signing-key.service';
import type { GeneratedToken, IssueContext, TokenFormat, TokenLookup } from '../token-format';

/** RFC 9068 §2.1: the media type of JWT access tokens, in the `typ` header. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Self-contained tokens per RFC 9068, signed with the active key of the client's algorithm
 * (RS256 unless registered with `--alg PS256|ES256|EdDSA`). The JWT itself is not stored;
 * its `jti` is, so it can be introspected and revoked like any other token. `aud` is the resource
 * indicator(s) asked for (RFC 8707), else the client itself, matching introspection's `aud`.
 * A DPoP-bound token carries `cnf.jkt` (RFC 9449 §6.1).
 */
@Injectable()
export class JwtTokenFormat implements TokenFormat {
  readonly name = 'jwt' as const;

  constructor(
    private readonly keys: SigningKeyService,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  async generate({ client, scope, jti, iat, exp, audience, jkt }: IssueContext): Promise<GeneratedToken> {
    const { kid, alg, privateKey } = await this.keys.activeKey(client.tokenSigningAlg);
    const claims: Pick<AccessTokenClaims, 'client_id' | 'scope' | 'cnf'> = {
      client_id: client.clientId,
      scope,
      ...(jkt ? { cnf: { jkt } } : {}),
    };
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg, typ: ACCESS_TOKEN_TYP, kid })
      .setIssuer(this.config.ISSUER)
      .setSubject(client.clientId)
      // RFC 8707 §2 / RFC 9068 §3: the resource(s) asked for — a string for one — else the client.
      .setAudience(audience ? (audience.length === 1 ? audience[0] : audience) : client.clientId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(privateKey);
    return { accessToken, record: { jti, format: this.name, tokenHash: null, kid, audience: audience ?? null, cnfJkt: jkt ?? null } };
  }

  /** A JWT this server signed (any of its keys, retired ones included), unexpired: its jti. */
  async identify(token: string): Promise<TokenLookup | undefined> {
    if (!JWT_SHAPE.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(
        token,
        async ({ kid, alg }) => {
          const found = kid ? await this.keys.publicKey(kid) : undefined;
          // A key signs with its one algorithm only: an RS256 key's token relabelled PS256 is not ours.
          if (!found || found.alg !== alg) throw new Error('unknown kid');
          return found.key;
        },
        { issuer: this.config.ISSUER, algorithms: [...SIGNING_ALGS], typ: ACCESS_TOKEN_TYP },
      );
      return typeof payload.jti === 'string' ? { jti: payload.jti } : undefined;
    } catch {
      return undefined; // forged, expired, foreign or malformed: not a token of ours
    }
  }
}
