import type { SigningAlg } from '../keys/signing-algorithms';

/** What a registered client id may look like (RFC 3986 unreserved characters, 1–100). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,100}$/;

/** The ways a client may authenticate at the token, introspection and revocation endpoints. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type ClientAuthMethodName = (typeof CLIENT_AUTH_METHODS)[number];
/** The methods that present a shared secret. */
export const SECRET_AUTH_METHODS: readonly ClientAuthMethodName[] = ['client_secret_basic', 'client_secret_post'];

/** A JWK Set of public keys (RFC 7517 §5), as registered for private_key_jwt. */
export interface PublicJwkSet {
  keys: Array<Record<string, unknown>>;
}

export const TOKEN_FORMATS = ['opaque', 'jwt'] as const;
export type TokenFormatName = (typeof TOKEN_FORMATS)[number];

/** A registered client as the rest of the server sees it: never its secret, never its hash. */
export interface RegisteredClient {
  clientId: string;
  authMethods: ClientAuthMethodName[];
  grantTypes: string[];
  tokenFormat: TokenFormatName;
  scopes: string[];
  mayIntrospect: boolean;
  tokenLifetimeSeconds: number;
  /** JWS algorithm of its JWT access tokens. */
  tokenSigningAlg: SigningAlg;
  /** private_key_jwt: the registered public keys, or where to fetch them (never both). */
  jwks: PublicJwkSet | null;
  jwksUri: string | null;
  enabled: boolean;
  /** Bumped on rotation; a cached secret verification only counts for the version it saw. */
  secretVersion: number;
  seeded: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What is needed to register a client; the secret is hashed before it reaches storage. */
export type NewClient = Pick<
  RegisteredClient,
  'clientId' | 'authMethods' | 'grantTypes' | 'tokenFormat' | 'scopes' | 'mayIntrospect' | 'tokenLifetimeSeconds'
> &
  Partial<Pick<RegisteredClient, 'tokenSigningAlg' | 'jwks' | 'jwksUri'>> & { seeded?: boolean };
