import { ProtocolError, type ProtocolErrorOptions } from './protocol-error';

/**
 * RFC 6750 §3 errors of a resource server, one subclass per case, on the same base as OAuthError.
 * The one exception filter in @playground/http-kit writes the status, the JSON body and the
 * `WWW-Authenticate` header (Spring Security's `BearerTokenError` is the same idea).
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export interface BearerErrorOptions extends ProtocolErrorOptions {
  /** For insufficient_scope: the scope(s) the resource needs (RFC 6750 §3 `scope`). */
  requiredScope?: string;
}

export abstract class BearerError extends ProtocolError {
  /** Undefined when the request carried no token at all: RFC 6750 §3.1 says then send no error. */
  abstract override readonly code: BearerErrorCode | undefined;
  abstract override readonly status: 400 | 401 | 403;
  readonly requiredScope?: string;

  constructor(description: string, options: BearerErrorOptions = {}) {
    super(description, options);
    this.requiredScope = options.requiredScope;
  }

  /** The `WWW-Authenticate` header value, RFC 6750 §3. The description is in the §5.2 charset, so never breaks out of its quotes. */
  challenge(realm?: string): string {
    const params: string[] = [];
    if (realm) params.push(`realm="${realm}"`);
    if (this.code) params.push(`error="${this.code}"`, `error_description="${this.description}"`);
    if (this.requiredScope) params.push(`scope="${this.requiredScope}"`);
    return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
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
