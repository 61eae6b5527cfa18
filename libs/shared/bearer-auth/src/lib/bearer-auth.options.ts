import type { ModuleMetadata } from '@nestjs/common';
import { DPOP_SIGNING_ALGS, type ChallengeParameters } from '@playground/oauth-contracts';
import type { PrivateKeyJwtOptions } from '@playground/token-client';
import { InMemoryDpopReplayCache, type DpopReplayCache } from './dpop/dpop-replay-cache';

export type TokenValidationMode = 'auto' | 'jwt' | 'introspection';

/** A `fetch` with the global signature; injectable so tests can count or fail calls. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface BearerAuthOptions {
  /**
   * Where the authorization server lives. Its RFC 8414 metadata is read from
   * `<authServerUrl>/.well-known/oauth-authorization-server`.
   */
  authServerUrl: string;
  /**
   * The `iss` tokens must carry. Defaults to the `issuer` of the metadata (which RFC 8414 §3.3
   * requires to equal the URL the metadata was fetched from).
   */
  issuer?: string;
  /** `auto` (default): JWT-shaped tokens locally, anything else by introspection. */
  mode?: TokenValidationMode;
  /** Credentials of a client that may introspect and read the revocations feed. */
  introspection?: {
    clientId?: string;
    clientSecret?: string;
    /**
     * Authenticate introspection and the revocations feed with private_key_jwt (RFC 7523 §2.2)
     * instead of the secret: no shared secret on the resource server at all.
     */
    privateKeyJwt?: PrivateKeyJwtOptions;
    /** Upper bound for caching an active introspection result (also bounded by the token's exp). */
    cacheTtlSeconds?: number;
    /** How long an inactive result is remembered. */
    negativeCacheTtlSeconds?: number;
    /** Most results held at once (LRU). */
    cacheMaxEntries?: number;
  };
  revocation?: {
    /** How often the revocations feed is polled (auto and introspection modes). */
    pollIntervalSeconds?: number;
    /**
     * The promised revocation window. When the feed has not been read successfully for this
     * long, `auto` mode stops trusting its local revocation list and introspects JWTs instead.
     */
    windowSeconds?: number;
  };
  jwt?: {
    /** Leeway for exp/nbf/iat, for clock skew between servers. */
    clockToleranceSeconds?: number;
    /** Least time between two JWKS fetches triggered by an unknown `kid`. */
    jwksCooldownSeconds?: number;
    /** A JWKS older than this is refetched on the next verification. */
    jwksMaxAgeSeconds?: number;
    /** How long a verified JWT (by SHA-256 of its bytes) skips the signature check; never past exp. 0 disables. */
    verifiedCacheTtlSeconds?: number;
    verifiedCacheMaxEntries?: number;
  };
  /**
   * RFC 8707 resource indicator of this resource server (e.g. `http://localhost:8091/ms-system`).
   * Set: a token whose audience names resources but not this one is refused (401 invalid_token).
   */
  resource?: string;
  /** With `resource`: also refuse tokens issued without any resource (audience `[client_id]`). */
  requireAudience?: boolean;
  /** RFC 9728 §5.1: the metadata URL sent as `resource_metadata` in every challenge. */
  resourceMetadataUrl?: string;
  /** RFC 9449 DPoP proofs (`Authorization: DPoP <token>` with a `DPoP` header). */
  dpop?: {
    /** Accepted proof algorithms, announced as `algs` and `dpop_signing_alg_values_supported`. */
    algorithms?: readonly string[];
    /** Oldest accepted proof `iat`, seconds in the past. */
    maxAgeSeconds?: number;
    /** Latest accepted proof `iat`, seconds in the future (clock skew). */
    maxFutureSeconds?: number;
    /** Where seen proof `jti`s live; default one process's memory (ADR 0007 for several instances). */
    replayCache?: DpopReplayCache;
  };
  /** Timeout of every call to the authorization server. */
  httpTimeoutMs?: number;
  /** Longest token accepted at all; longer ones are refused without any network call. */
  maxTokenLength?: number;
  /** For tests: replaces the global fetch for metadata, introspection and the revocations feed. */
  fetch?: FetchLike;
}

export type ResolvedBearerAuthOptions = Required<
  Omit<BearerAuthOptions, 'issuer' | 'fetch' | 'introspection' | 'revocation' | 'jwt' | 'resource' | 'resourceMetadataUrl' | 'dpop'>
> & {
  issuer?: string;
  resource?: string;
  resourceMetadataUrl?: string;
  dpop: Required<NonNullable<BearerAuthOptions['dpop']>>;
  fetch: FetchLike;
  introspection: Required<Omit<NonNullable<BearerAuthOptions['introspection']>, 'privateKeyJwt'>> & {
    privateKeyJwt?: PrivateKeyJwtOptions;
  };
  revocation: Required<NonNullable<BearerAuthOptions['revocation']>>;
  jwt: Required<NonNullable<BearerAuthOptions['jwt']>>;
};

/**
 * The defaults, in one place. The seeded introspection credentials are the playground's
 * (docs/contract.md); apps refuse them in production.
 */
export const BEARER_AUTH_DEFAULTS = {
  mode: 'auto',
  introspection: {
    clientId: 'service-client-jwt',
    clientSecret: 'service-client-jwt-secret',
    // ≤ the revocation window: a revoked opaque token is refused within 5 s even if the
    // revocations feed were silent, because the cached "active" answer is forgotten by then.
    cacheTtlSeconds: 5,
    // Inactive stays inactive, but a random-token flood must not pin memory; keep it short.
    negativeCacheTtlSeconds: 3,
    cacheMaxEntries: 10_000,
  },
  revocation: { pollIntervalSeconds: 5, windowSeconds: 10 },
  jwt: {
    clockToleranceSeconds: 30,
    jwksCooldownSeconds: 30,
    jwksMaxAgeSeconds: 600,
    verifiedCacheTtlSeconds: 60,
    verifiedCacheMaxEntries: 10_000,
  },
  httpTimeoutMs: 5_000,
  // RS256 JWTs of this playground are ~800 bytes; 4 KiB leaves room and bounds hashing work.
  maxTokenLength: 4096,
  // RFC 9449 §11.1 leaves the window to the server; 60 s back covers slow clients, 10 s ahead clock skew.
  dpop: { algorithms: DPOP_SIGNING_ALGS, maxAgeSeconds: 60, maxFutureSeconds: 10 },
} as const;

export function resolveOptions(options: BearerAuthOptions): ResolvedBearerAuthOptions {
  const d = BEARER_AUTH_DEFAULTS;
  return {
    authServerUrl: options.authServerUrl.replace(/\/+$/, ''),
    issuer: options.issuer,
    mode: options.mode ?? d.mode,
    introspection: { ...d.introspection, ...stripUndefined(options.introspection ?? {}) },
    revocation: revocationOptions(options.revocation ?? {}),
    jwt: { ...d.jwt, ...stripUndefined(options.jwt ?? {}) },
    httpTimeoutMs: options.httpTimeoutMs ?? d.httpTimeoutMs,
    maxTokenLength: options.maxTokenLength ?? d.maxTokenLength,
    resource: options.resource,
    requireAudience: options.requireAudience ?? false,
    resourceMetadataUrl: options.resourceMetadataUrl,
    dpop: { ...d.dpop, ...stripUndefined(options.dpop ?? {}), replayCache: options.dpop?.replayCache ?? new InMemoryDpopReplayCache() },
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  };
}

export interface BearerAuthAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => BearerAuthOptions | Promise<BearerAuthOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}

export const BEARER_AUTH_OPTIONS = Symbol('BEARER_AUTH_OPTIONS');

/** A poll interval above half the default window widens the window with it (never below 10 s). */
function revocationOptions(given: NonNullable<BearerAuthOptions['revocation']>): ResolvedBearerAuthOptions['revocation'] {
  const pollIntervalSeconds = given.pollIntervalSeconds ?? BEARER_AUTH_DEFAULTS.revocation.pollIntervalSeconds;
  const windowSeconds = given.windowSeconds ?? Math.max(BEARER_AUTH_DEFAULTS.revocation.windowSeconds, 2 * pollIntervalSeconds);
  return { pollIntervalSeconds, windowSeconds };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The parameters every challenge of this resource server carries (RFC 9728 §5.1, RFC 9449 §7.1). */
export function challengeParameters(options: ResolvedBearerAuthOptions): ChallengeParameters {
  return { resourceMetadata: options.resourceMetadataUrl, dpopAlgs: options.dpop.algorithms };
}
