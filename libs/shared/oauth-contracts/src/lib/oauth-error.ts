import { ProtocolError, type ProtocolErrorOptions } from './protocol-error';

/**
 * OAuth 2.0 errors as the RFCs name them (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3).
 *
 * Grants, client authentication and token services throw these; exactly one exception filter
 * (in @playground/http-kit) turns them into HTTP. `description` is what the client sees and stays
 * generic where detail would help an attacker ("client authentication failed" never says whether
 * the id or the secret was wrong). `reason` is for the log only and is never sent.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable';

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description?: string;
}

export type OAuthErrorOptions = ProtocolErrorOptions;

/** An RFC 6749 §5.2 error: `{error, error_description}`, `no-store`. */
export abstract class OAuthError extends ProtocolError {
  abstract override readonly code: OAuthErrorCode;

  toJSON(): OAuthErrorBody {
    return { error: this.code, error_description: this.description };
  }
}

/** Missing, repeated or malformed parameter; wrong content type. */
export class InvalidRequestError extends OAuthError {
  readonly code = 'invalid_request';
  readonly status = 400;
}

/**
 * Client authentication failed (RFC 6749 §5.2): 401. When the client tried HTTP Basic,
 * the response must carry `WWW-Authenticate: Basic realm="…"`; `basicChallenge` says so.
 */
export class InvalidClientError extends OAuthError {
  readonly code = 'invalid_client';
  readonly status = 401;
  readonly basicChallenge: boolean;

  constructor(options: OAuthErrorOptions & { basicChallenge?: boolean } = {}) {
    super('client authentication failed', options);
    this.basicChallenge = options.basicChallenge ?? false;
  }
}

export class InvalidGrantError extends OAuthError {
  readonly code = 'invalid_grant';
  readonly status = 400;
}

/** The authenticated client may not use this grant type. */
export class UnauthorizedClientError extends OAuthError {
  readonly code = 'unauthorized_client';
  readonly status = 400;
}

export class UnsupportedGrantTypeError extends OAuthError {
  readonly code = 'unsupported_grant_type';
  readonly status = 400;
}

/** A requested scope is unknown or not registered for the client. */
export class InvalidScopeError extends OAuthError {
  readonly code = 'invalid_scope';
  readonly status = 400;
}

/** RFC 7009 §2.2.1: the server does not support revoking this token type. */
export class UnsupportedTokenTypeError extends OAuthError {
  readonly code = 'unsupported_token_type';
  readonly status = 400;
}

/** Authenticated, but not allowed to use this endpoint (e.g. introspection). */
export class AccessDeniedError extends OAuthError {
  readonly code = 'access_denied';
  readonly status = 403;
}

/** Anything unexpected. The description is fixed so that nothing internal leaks. */
export class ServerError extends OAuthError {
  readonly code = 'server_error';
  readonly status = 500;

  constructor(options: OAuthErrorOptions = {}) {
    super('the server encountered an unexpected condition', options);
  }
}
