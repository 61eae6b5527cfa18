/**
 * RFC 6750 §3 errors of a resource server. Framework-free; the one exception filter in
 * @playground/http-kit writes the status, the JSON body and the `WWW-Authenticate` header.
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

export class BearerError extends Error {
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

  static insufficientScope(requiredScope: string): BearerError {
    return new BearerError('insufficient_scope', 403, 'the access token lacks the required scope', requiredScope);
  }

  /** The `WWW-Authenticate` header value, RFC 6750 §3. */
  challenge(realm?: string): string {
    const params: string[] = [];
    if (realm) params.push(`realm="${realm}"`);
    if (this.code) params.push(`error="${this.code}"`);
    if (this.code && this.description) params.push(`error_description="${this.description.replace(/["\\]/g, '')}"`);
    if (this.requiredScope) params.push(`scope="${this.requiredScope}"`);
    return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
  }

  toJSON(): { error: string; error_description?: string } {
    return this.code
      ? { error: this.code, ...(this.description ? { error_description: this.description } : {}) }
      : { error: 'invalid_request', error_description: 'missing bearer token' };
  }
}
