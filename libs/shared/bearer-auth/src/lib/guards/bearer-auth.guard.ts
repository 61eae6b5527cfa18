import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import {
  BearerError,
  InvalidBearerRequestError,
  InvalidTokenError,
  type AuthenticatedClient,
  type AuthScheme,
} from '@playground/oauth-contracts';
import { oauthTelemetry } from '@playground/telemetry';
import { BEARER_AUTH_OPTIONS, challengeParameters, type ResolvedBearerAuthOptions } from '../bearer-auth.options';
import { DpopProofVerifier } from '../dpop/dpop-proof.verifier';
import { TOKEN_VERIFIER, type TokenVerifier } from '../verifiers/token-verifier';
import { AudiencePolicy } from './audience.policy';
import { BearerStrategy } from './bearer.strategy';

/** The parts of a Fastify request the guard reads. */
export interface ProtectedRequest {
  method: string;
  url: string;
  protocol?: string;
  host?: string;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  body?: unknown;
  user?: AuthenticatedClient;
  /** The scheme the request authenticated with, for the challenges of later guards. */
  authScheme?: AuthScheme;
}

/** RFC 9449 §7.1 `Authorization: DPoP <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
const DPOP_SCHEME = /^dpop(?: +|$)/i;
const DPOP_CREDENTIALS = /^dpop +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Authenticates the request and maps every outcome to RFC 6750 §3 / RFC 9449 §7:
 * - `Authorization: DPoP <token>`: the token verifier of the configured mode, then the audience
 *   check, then the DPoP proof verifier (a separate step: htm, htu, iat, ath, jti, thumbprint);
 * - `Authorization: Bearer <token>` (passport-http-bearer finds the token, see BearerStrategy):
 *   the token verifier, then the audience
 *   check; a DPoP-bound token sent this way is refused (RFC 9449 §7.2: a stolen bound token must
 *   not work as a plain bearer token);
 * - no token → 401 without an error code (§3.1); malformed header or a token in the URL/body →
 *   400 `invalid_request`; a bad token → 401 `invalid_token`; a bad proof → 401 `invalid_dpop_proof`.
 * Every error carries the server's challenge parameters (`resource_metadata`, DPoP `algs`); the
 * ErrorResponseFilter of @playground/http-kit writes the headers and the JSON body.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly bearer: BearerStrategy,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly proofs: DpopProofVerifier,
    private readonly audience: AudiencePolicy,
    @Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ProtectedRequest>();
    try {
      // RFC 6750 §2.3 tokens in the URL end up in logs and histories, and §2.2 form tokens are
      // unusual for an API; this resource server accepts the Authorization header only.
      if (has(request.query, 'access_token') || has(request.body, 'access_token')) {
        throw new InvalidBearerRequestError('send the access token in the Authorization header');
      }
      const authorization = request.headers.authorization;
      if (typeof authorization === 'string' && DPOP_SCHEME.test(authorization)) return await this.dpop(request, authorization);
      request.authScheme = 'Bearer';
      const client = await this.verifier.verify(this.bearer.token(request));
      if (client.jkt) {
        throw new InvalidTokenError('a DPoP-bound access token must be sent with the DPoP scheme', {
          reason: 'bound token as Bearer',
        }).onScheme('DPoP');
      }
      this.audience.check(client);
      accept(request, client);
      return true;
    } catch (error) {
      if (error instanceof BearerError) throw error.advertise(challengeParameters(this.options));
      throw error;
    }
  }

  private async dpop(request: ProtectedRequest, authorization: string): Promise<boolean> {
    request.authScheme = 'DPoP';
    const token = DPOP_CREDENTIALS.exec(authorization)?.[1];
    if (!token) throw new InvalidBearerRequestError('malformed Authorization header').onScheme('DPoP');
    try {
      const client = await this.verifier.verify(token);
      this.audience.check(client);
      await this.proofs.verify(
        { method: request.method, url: requestUrl(request), proofs: headerValues(request.headers.dpop) },
        token,
        client,
      );
      accept(request, client);
      return true;
    } catch (error) {
      if (error instanceof BearerError) throw error.onScheme('DPoP');
      throw error;
    }
  }
}

/** The request is authenticated as `client`: for the handler (`@CurrentClient()`) and the span. */
function accept(request: ProtectedRequest, client: AuthenticatedClient): void {
  request.user = client;
  oauthTelemetry.tokenValidated({ clientId: client.clientId, validationMode: client.validatedBy, scopes: client.scopes });
}

/** The URL the client called, as RFC 9449 §4.3 compares it with the proof's `htu`. */
function requestUrl(request: ProtectedRequest): string {
  const host = request.host ?? (request.headers.host as string | undefined) ?? 'localhost';
  return `${request.protocol ?? 'http'}://${host}${request.url}`;
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function has(container: unknown, key: string): boolean {
  return typeof container === 'object' && container !== null && Object.prototype.hasOwnProperty.call(container, key);
}
