import { hash } from 'node:crypto';
import type { AuthenticatedClient } from '@playground/oauth-contracts';

/**
 * Turns a bearer token into the client it authenticates, or throws a `BearerError`
 * (`invalid_token`). One implementation per validation strategy; `auto` composes them.
 */
export interface TokenVerifier {
  verify(token: string): Promise<AuthenticatedClient>;
}

/** The verifier selected by the configured mode; the passport strategy calls this one. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** RFC 6750 §2.1 b64token. Anything else is not a token we could ever have issued. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function isWellFormedToken(token: string, maxLength: number): boolean {
  return token.length > 0 && token.length <= maxLength && B64TOKEN.test(token);
}

/** JWS compact serialization whose header decodes to a JSON object. */
export function looksLikeJwt(token: string): boolean {
  if (!JWS_COMPACT.test(token)) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header);
  } catch {
    return false;
  }
}

/**
 * The key under which the verifiers cache a token's outcome: SHA-256 of the whole token
 * (signature included), base64url. Only the identical bytes hit, and a heap dump shows no usable
 * token. `crypto.hash`, Node's one-shot digest, costs about a quarter of `createHash().update()
 * .digest()` on a 700-byte token (no Hash object per call).
 */
export function tokenCacheKey(token: string): string {
  return hash('sha256', token, 'base64url');
}
