/** Wire formats shared by the authorization server, resource servers and clients. */

/** RFC 6749 §5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  /** `DPoP` when the token is bound to the key of a DPoP proof (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
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
  token_type: 'Bearer' | 'DPoP';
  /** RFC 9449 §6.2: only for DPoP-bound tokens, the RFC 7638 thumbprint of the proof key. */
  cnf?: { jkt: string };
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
  /** RFC 9449 §6.1: present on DPoP-bound tokens only. */
  cnf?: { jkt: string };
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
  /** The token's audience (`aud`), always as an array: `[client_id]` or the resource indicators. */
  audience: string[];
  /** RFC 9449: the thumbprint the token is bound to; undefined for a plain bearer token. */
  jkt?: string;
}

/**
 * JWS algorithms a DPoP proof may use (RFC 9449 §5.1 `dpop_signing_alg_values_supported`): the
 * asymmetric ones jose verifies everywhere. Never `none`, never an HMAC (a proof proves
 * possession of a private key).
 */
export const DPOP_SIGNING_ALGS = ['ES256', 'EdDSA', 'PS256', 'RS256'] as const;

/** RFC 9728 §2 protected resource metadata, the fields ms-system publishes. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: ['header'];
  dpop_signing_alg_values_supported: string[];
  [extension: string]: unknown;
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
