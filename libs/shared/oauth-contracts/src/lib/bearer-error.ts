/**
 * RFC 6750 §3 errors of a resource server, and their RFC 9449 §7.1 DPoP counterparts.
 * Framework-free; the one exception filter in @playground/http-kit writes the status, the JSON
 * body and the `WWW-Authenticate` header(s).
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof';

/** The authentication schemes a resource server challenges with. */
export type AuthScheme = 'Bearer' | 'DPoP';

/** What a resource server advertises in every challenge (set by its guard, not per error). */
export interface ChallengeParameters {
  /** RFC 9728 §5.1 `resource_metadata`: the URL of the protected resource metadata. */
  resourceMetadata?: string;
  /** RFC 9449 §7.1: when set, a `DPoP algs="…"` challenge is sent beside `Bearer`. */
  dpopAlgs?: readonly string[];
}

export class BearerError extends Error {
  /**
   * The scheme whose challenge carries the error code: the one the request used, or DPoP for a
   * DPoP-bound token presented as Bearer (RFC 9449 §7.2).
   */
  scheme: AuthScheme = 'Bearer';
  /** Resource-server wide challenge parameters, attached by the guard that rethrows the error. */
  advertised: ChallengeParameters = {};

  constructor(
    /** Undefined when the request carried no token at all: RFC 6750 §3.1 says then send no error. */
    readonly code: BearerErrorCode | undefined,
    readonly status: 400 | 401 | 403,
    readonly description?: string,
    /** For insufficient_scope: the scope(s) the resource needs. */
    readonly requiredScope?: string,
    /** Logged server-side, never sent. */
    readonly reason?: string,
  ) {
    super(description ?? code ?? 'missing bearer token');
    this.name = 'BearerError';
  }

  static missingToken(): BearerError {
    return new BearerError(undefined, 401);
  }

  static invalidRequest(description: string): BearerError {
    return new BearerError('invalid_request', 400, description);
  }

  static invalidToken(description = 'the access token is invalid', reason?: string): BearerError {
    return new BearerError('invalid_token', 401, description, undefined, reason);
  }

  /** RFC 9449 §7.1: the `DPoP` proof of a request is missing, malformed, stale, replayed or forged. */
  static invalidDpopProof(description = 'the DPoP proof is invalid', reason?: string): BearerError {
    return new BearerError('invalid_dpop_proof', 401, description, undefined, reason).onScheme('DPoP');
  }

  static insufficientScope(requiredScope: string): BearerError {
    return new BearerError('insufficient_scope', 403, 'the access token lacks the required scope', requiredScope);
  }

  /** The same error, challenged on `scheme`. */
  onScheme(scheme: AuthScheme): this {
    this.scheme = scheme;
    return this;
  }

  /** The same error, with the resource server's challenge parameters. */
  advertise(parameters: ChallengeParameters): this {
    this.advertised = parameters;
    return this;
  }

  /** The `WWW-Authenticate` header value of the Bearer scheme, RFC 6750 §3. */
  challenge(realm?: string): string {
    return this.challenges(realm)[0];
  }

  /**
   * Every `WWW-Authenticate` challenge, one per scheme: `Bearer` always, `DPoP` with `algs` when
   * the resource server accepts DPoP (RFC 9449 §7.1). Only the scheme the request used carries
   * `error`, `error_description` and `scope`; `resource_metadata` (RFC 9728 §5.1) is said once,
   * on the Bearer challenge.
   */
  challenges(realm?: string): string[] {
    const { resourceMetadata, dpopAlgs } = this.advertised;
    const bearer = this.params('Bearer', realm);
    if (resourceMetadata) bearer.push(`resource_metadata="${resourceMetadata}"`);
    const result = [bearer.length ? `Bearer ${bearer.join(', ')}` : 'Bearer'];
    if (dpopAlgs?.length) {
      const dpop = this.params('DPoP', realm);
      dpop.push(`algs="${dpopAlgs.join(' ')}"`);
      result.push(`DPoP ${dpop.join(', ')}`);
    }
    return result;
  }

  private params(scheme: AuthScheme, realm: string | undefined): string[] {
    const params: string[] = [];
    if (realm) params.push(`realm="${realm}"`);
    if (scheme !== this.scheme) return params;
    if (this.code) params.push(`error="${this.code}"`);
    if (this.code && this.description) params.push(`error_description="${this.description.replace(/["\\]/g, '')}"`);
    if (this.requiredScope) params.push(`scope="${this.requiredScope}"`);
    return params;
  }

  toJSON(): { error: string; error_description?: string } {
    return this.code
      ? { error: this.code, ...(this.description ? { error_description: this.description } : {}) }
      : { error: 'invalid_request', error_description: 'missing bearer token' };
  }
}
