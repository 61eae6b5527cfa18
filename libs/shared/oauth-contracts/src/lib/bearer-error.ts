import { ProtocolError, type ProtocolErrorOptions } from './protocol-error';

/**
 * RFC 6750 §3 errors of a resource server, one subclass per case, on the same base as OAuthError,
 * and their RFC 9449 §7.1 DPoP counterparts. The one exception filter in @playground/http-kit
 * writes the status, the JSON body and the `WWW-Authenticate` header(s) (Spring Security's
 * `BearerTokenError` is the same idea).
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

export interface BearerErrorOptions extends ProtocolErrorOptions {
  /** For insufficient_scope: the scope(s) the resource needs (RFC 6750 §3 `scope`). */
  requiredScope?: string;
}

export abstract class BearerError extends ProtocolError {
  /** Undefined when the request carried no token at all: RFC 6750 §3.1 says then send no error. */
  abstract override readonly code: BearerErrorCode | undefined;
  abstract override readonly status: 400 | 401 | 403;
  readonly requiredScope?: string;
  /**
   * The scheme whose challenge carries the error code: the one the request used, or DPoP for a
   * DPoP-bound token presented as Bearer (RFC 9449 §7.2).
   */
  scheme: AuthScheme = 'Bearer';
  /** Resource-server wide challenge parameters, attached by the guard that rethrows the error. */
  advertised: ChallengeParameters = {};

  constructor(description: string, options: BearerErrorOptions = {}) {
    super(description, options);
    this.requiredScope = options.requiredScope;
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

  /** The `WWW-Authenticate` challenge that carries the error: RFC 6750 §3 Bearer, or RFC 9449 §7.1 DPoP. */
  challenge(realm?: string): string {
    const all = this.challenges(realm);
    return (this.scheme === 'DPoP' ? all.find((c) => c.startsWith('DPoP')) : undefined) ?? all[0];
  }

  /**
   * Every `WWW-Authenticate` challenge, one per scheme: `Bearer` always, `DPoP` with `algs` when
   * the resource server accepts DPoP (RFC 9449 §7.1). Only the scheme the request used carries
   * `error`, `error_description` and `scope`; `resource_metadata` (RFC 9728 §5.1) is said once,
   * on the Bearer challenge. The description is in the §5.2 charset, so never breaks out of its quotes.
   */
  challenges(realm?: string): string[] {
    const { resourceMetadata, dpopAlgs } = this.advertised;
    const bearer = this.params('Bearer', realm);
    if (resourceMetadata) bearer.push(`resource_metadata="${resourceMetadata}"`);
    const result = [bearer.length ? `Bearer ${bearer.join(', ')}` : 'Bearer'];
    if (dpopAlgs?.length || this.scheme === 'DPoP') {
      const dpop = this.params('DPoP', realm);
      if (dpopAlgs?.length) dpop.push(`algs="${dpopAlgs.join(' ')}"`);
      result.push(`DPoP ${dpop.join(', ')}`);
    }
    return result;
  }

  private params(scheme: AuthScheme, realm: string | undefined): string[] {
    const params: string[] = [];
    if (realm) params.push(`realm="${realm}"`);
    if (scheme !== this.scheme) return params;
    if (this.code) params.push(`error="${this.code}"`, `error_description="${this.description}"`);
    if (this.requiredScope) params.push(`scope="${this.requiredScope}"`);
    return params;
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.code ?? 'invalid_request', error_description: this.description };
  }

  /** @deprecated Use `new MissingBearerTokenError()`; kept so code written against the factories still compiles. */
  static missingToken(): BearerError {
    return new MissingBearerTokenError();
  }

  /** @deprecated Use `new InvalidBearerRequestError(description)`. */
  static invalidRequest(description: string): BearerError {
    return new InvalidBearerRequestError(description);
  }

  /** @deprecated Use `new InvalidTokenError(description, { reason })`. */
  static invalidToken(description?: string, reason?: string): BearerError {
    return new InvalidTokenError(description, { reason });
  }

  /** @deprecated Use `new InsufficientScopeError(requiredScope)`. */
  static insufficientScope(requiredScope: string): BearerError {
    return new InsufficientScopeError(requiredScope);
  }
}

/** No token at all (RFC 6750 §3.1): 401, a bare `Bearer` challenge, no error code in it. */
export class MissingBearerTokenError extends BearerError {
  readonly code = undefined;
  readonly status = 401;

  constructor(options: ProtocolErrorOptions = {}) {
    super('missing bearer token', options);
  }
}

/** A malformed request: two credentials, a bad Authorization header (RFC 6750 §3.1). */
export class InvalidBearerRequestError extends BearerError {
  readonly code = 'invalid_request';
  readonly status = 400;
}

/** Expired, revoked, malformed or foreign token (RFC 6750 §3.1): 401. */
export class InvalidTokenError extends BearerError {
  readonly code = 'invalid_token';
  readonly status = 401;

  constructor(description = 'the access token is invalid', options: ProtocolErrorOptions = {}) {
    super(description, options);
  }
}

/** The token lacks a scope the resource needs (RFC 6750 §3.1): 403, naming the scope. */
export class InsufficientScopeError extends BearerError {
  readonly code = 'insufficient_scope';
  readonly status = 403;

  constructor(requiredScope: string, options: ProtocolErrorOptions = {}) {
    super('the access token lacks the required scope', { ...options, requiredScope });
  }
}

/**
 * RFC 9449 §7.1: the `DPoP` proof of a request to a resource server is missing, malformed, stale,
 * replayed or forged: 401 `invalid_dpop_proof`, challenged on the DPoP scheme. (At the token
 * endpoint the same code is a 400 OAuthError, InvalidDpopProofError.)
 */
export class DpopProofRefusedError extends BearerError {
  readonly code = 'invalid_dpop_proof';
  readonly status = 401;

  constructor(description = 'the DPoP proof is invalid', options: ProtocolErrorOptions = {}) {
    super(description, options);
    this.scheme = 'DPoP';
  }
}
