import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface PrivateKeyJwtOptions {
  /** The client's private JWK (with `d`); its `kid` and `alg` are used when present. */
  privateJwk: JWK;
  /** JWS algorithm; default the JWK's `alg`, else ES256. */
  alg?: string;
  /** Assertion lifetime in seconds (default 60; servers accept at most 5 minutes). */
  lifetimeSeconds?: number;
}

/**
 * `private_key_jwt` client authentication (RFC 7523 §2.2, RFC 7521 §4.2, OIDC Core §9): a JWT
 * signed with the client's private key, `iss` = `sub` = client_id, `aud` = the authorization
 * server's issuer identifier, a short `exp` and a fresh `jti` (servers accept each once).
 * Returns the form parameters to add to the token (or introspection) request.
 */
export class PrivateKeyJwtAuthenticator {
  private key?: Promise<CryptoKey | Uint8Array>;

  constructor(
    private readonly clientId: string,
    private readonly options: PrivateKeyJwtOptions,
  ) {
    if (typeof options.privateJwk.d !== 'string') throw new Error('private_key_jwt needs a private JWK (with "d")');
  }

  get alg(): string {
    return this.options.alg ?? this.options.privateJwk.alg ?? 'ES256';
  }

  /** `client_id`, `client_assertion_type` and a new `client_assertion` for `audience` (the issuer). */
  async parameters(audience: string, now = Date.now()): Promise<Record<string, string>> {
    this.key ??= importJWK(this.options.privateJwk, this.alg);
    const iat = Math.floor(now / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: this.alg, typ: 'JWT', ...(this.options.privateJwk.kid ? { kid: this.options.privateJwk.kid } : {}) })
      .setIssuer(this.clientId)
      .setSubject(this.clientId)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (this.options.lifetimeSeconds ?? 60))
      .setJti(randomUUID())
      .sign(await this.key);
    return { client_id: this.clientId, client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion };
  }
}
