import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthorizationServerMetadata, IntrospectionResponse } from '@playground/oauth-contracts';
import { PrivateKeyJwtAuthenticator } from '@playground/token-client';
import { BEARER_AUTH_OPTIONS, type ResolvedBearerAuthOptions } from '../bearer-auth.options';

/** What the resource server needs from RFC 8414 metadata. */
export interface DiscoveredEndpoints {
  issuer: string;
  jwksUri: string;
  introspectionEndpoint: string;
  /** `<authServerUrl>/oauth2/revocations` — the playground's revocations feed (ADR 0003). */
  revocationsFeed: string;
  /**
   * The JWS algorithms JWT access tokens may carry: exactly what the metadata announces in
   * `access_token_signing_alg_values_supported`, asymmetric ones only; RS256 when it announces none.
   */
  accessTokenAlgs: string[];
}

/**
 * Algorithms a resource server may ever accept, whatever metadata says: public-key signatures
 * only, so `none` and HMAC (verifiable with a public key as the secret) can never be switched on.
 */
const ASYMMETRIC_ALGS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
/** RFC 9068's default, and what a server that announces nothing signs with. */
const DEFAULT_ACCESS_TOKEN_ALGS = ['RS256'];

/** The announced access-token algorithms, filtered to asymmetric ones (see ASYMMETRIC_ALGS). */
export function accessTokenAlgorithms(announced: unknown): string[] {
  const algs = Array.isArray(announced)
    ? announced.filter((alg): alg is string => typeof alg === 'string' && ASYMMETRIC_ALGS.has(alg))
    : [];
  return algs.length ? algs : DEFAULT_ACCESS_TOKEN_ALGS;
}

export interface RevocationsPage {
  revocations: { jti: string; exp: number }[];
  cursor: string;
}

/** A failure to reach or understand the authorization server (never the token's fault). */
export class AuthServerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthServerUnavailableError';
  }
}

/**
 * Everything the resource server asks the authorization server: metadata (RFC 8414),
 * introspection (RFC 7662) and the revocations feed. Metadata is fetched lazily and kept once
 * it succeeded, so the resource server starts (and keeps serving locally verifiable JWTs) while
 * the authorization server is down; a failed discovery is retried, at most once a second.
 */
@Injectable()
export class AuthorizationServerClient {
  private readonly logger = new Logger('BearerAuth');
  private endpoints?: DiscoveredEndpoints;
  private pending?: Promise<DiscoveredEndpoints>;
  private lastFailureAt = 0;
  private lastFailure?: Error;
  private readonly assertions?: PrivateKeyJwtAuthenticator;

  constructor(@Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions) {
    const { clientId, privateKeyJwt } = options.introspection;
    if (privateKeyJwt) this.assertions = new PrivateKeyJwtAuthenticator(clientId, privateKeyJwt);
  }

  async discover(): Promise<DiscoveredEndpoints> {
    if (this.endpoints) return this.endpoints;
    if (this.pending) return this.pending;
    if (this.lastFailure && Date.now() - this.lastFailureAt < 1_000) throw this.lastFailure;
    this.pending = this.fetchMetadata()
      .then((endpoints) => {
        this.endpoints = endpoints;
        this.lastFailure = undefined;
        return endpoints;
      })
      .catch((error: Error) => {
        this.lastFailure = error;
        this.lastFailureAt = Date.now();
        this.logger.warn(`authorization server metadata unavailable: ${error.message}`);
        throw error;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  async introspect(token: string): Promise<IntrospectionResponse> {
    const { introspectionEndpoint } = await this.discover();
    const response = await this.post(introspectionEndpoint, { token });
    const json = (await response.json()) as IntrospectionResponse;
    if (typeof json !== 'object' || json === null || typeof json.active !== 'boolean') {
      throw new AuthServerUnavailableError('introspection answered without a boolean "active"');
    }
    return json;
  }

  async revocations(after: string | undefined): Promise<RevocationsPage> {
    const { revocationsFeed } = await this.discover();
    let response: Response;
    if (this.assertions) {
      // An assertion belongs in a body, never in a URL: the feed's POST form.
      response = await this.post(revocationsFeed, after !== undefined ? { after } : {});
    } else {
      const url = new URL(revocationsFeed);
      if (after !== undefined) url.searchParams.set('after', after);
      response = await this.call(url.toString(), { method: 'GET', headers: { accept: 'application/json' } });
    }
    const json = (await response.json()) as RevocationsPage;
    if (!json || !Array.isArray(json.revocations) || typeof json.cursor !== 'string') {
      throw new AuthServerUnavailableError('revocations feed answered in an unexpected shape');
    }
    return json;
  }

  private async fetchMetadata(): Promise<DiscoveredEndpoints> {
    const base = this.options.authServerUrl;
    const response = await this.request(`${base}/.well-known/oauth-authorization-server`, { headers: { accept: 'application/json' } });
    const metadata = (await response.json()) as Partial<AuthorizationServerMetadata>;
    const { issuer, jwks_uri, introspection_endpoint } = metadata;
    if (typeof issuer !== 'string' || typeof jwks_uri !== 'string' || typeof introspection_endpoint !== 'string') {
      throw new AuthServerUnavailableError('metadata lacks issuer, jwks_uri or introspection_endpoint');
    }
    return {
      issuer: this.options.issuer ?? issuer,
      // The advertised endpoints are built from the public issuer URL; a resource server that
      // reaches the authorization server by another name (a Docker service, 127.0.0.1) calls
      // them through the configured authServerUrl instead.
      jwksUri: this.viaConfiguredBase(jwks_uri, issuer),
      introspectionEndpoint: this.viaConfiguredBase(introspection_endpoint, issuer),
      revocationsFeed: `${base}/oauth2/revocations`,
      accessTokenAlgs: accessTokenAlgorithms(metadata.access_token_signing_alg_values_supported),
    };
  }

  private viaConfiguredBase(endpoint: string, issuer: string): string {
    const prefix = issuer.replace(/\/+$/, '');
    return endpoint.startsWith(`${prefix}/`) ? this.options.authServerUrl + endpoint.slice(prefix.length) : endpoint;
  }

  /** An authenticated form POST: a fresh client assertion in the body, or client_secret_basic. */
  private async post(url: string, params: Record<string, string>): Promise<Response> {
    const body = new URLSearchParams(params);
    if (this.assertions) {
      const { issuer } = await this.discover();
      for (const [name, value] of Object.entries(await this.assertions.parameters(issuer))) body.set(name, value);
      return this.request(url, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
    }
    return this.call(url, { method: 'POST', headers: FORM_HEADERS, body: body.toString() });
  }

  /** An authenticated call (client_secret_basic, RFC 6749 §2.3.1: both parts form-urlencoded). */
  private call(url: string, init: RequestInit): Promise<Response> {
    const { clientId, clientSecret } = this.options.introspection;
    const credentials = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
    return this.request(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Basic ${credentials}` } });
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.options.fetch(url, { ...init, signal: AbortSignal.timeout(this.options.httpTimeoutMs) });
    } catch (error) {
      throw new AuthServerUnavailableError(`${new URL(url).pathname}: ${(error as Error).message}`, { cause: error });
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new AuthServerUnavailableError(`${new URL(url).pathname} answered ${response.status}`);
    }
    return response;
  }
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
