/** Wire formats shared by the authorization server, resource servers and clients. */

/** RFC 6749 §5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * RFC 7662 §2.2 introspection response. An active token carries exactly the fields below
 * (docs/contract.md); anything else about a token is `{ active: false }` and nothing more.
 */
export type IntrospectionResponse = ActiveIntrospectionResponse | { active: false };

export interface ActiveIntrospectionResponse {
  active: true;
  sub: string;
  aud: string[];
  nbf: number;
  scope: string;
  iss: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  token_type: 'Bearer';
}

/** RFC 9068 JWT access token claims. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  client_id: string;
  scope: string;
}

/** RFC 8414 authorization server metadata, the fields this playground publishes. */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  jwks_uri: string;
  /** RFC 8414 §2 REQUIRED; `[]` for a server without an authorization endpoint (client credentials only). */
  response_types_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  /** JWS algorithms accepted for private_key_jwt client assertions (RFC 8414 §2). */
  token_endpoint_auth_signing_alg_values_supported?: string[];
  scopes_supported: string[];
  introspection_endpoint_auth_methods_supported: string[];
  introspection_endpoint_auth_signing_alg_values_supported?: string[];
  revocation_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_signing_alg_values_supported?: string[];
  /**
   * JWS algorithms of the JWT access tokens (RFC 9068) this server issues — a playground
   * extension (RFC 8414 §2 allows them): resource servers accept exactly these.
   */
  access_token_signing_alg_values_supported?: string[];
  [extension: string]: unknown;
}

/** The authenticated caller of a protected resource, as handlers see it. */
export interface AuthenticatedClient {
  clientId: string;
  scopes: string[];
  /** `jti` of the access token. */
  tokenId: string;
  /** How the token was validated. */
  validatedBy: 'jwt' | 'introspection';
  expiresAt: number;
}

/** Scope strings are space-delimited (RFC 6749 §3.3). */
export function parseScope(scope: string | undefined | null): string[] {
  return (scope ?? '').split(' ').filter((s) => s.length > 0);
}

/** RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )` — printable ASCII but space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when `scope` is one RFC 6749 §3.3 scope-token (what a client may register or request). */
export function isScopeToken(scope: string): boolean {
  return SCOPE_TOKEN.test(scope);
}
