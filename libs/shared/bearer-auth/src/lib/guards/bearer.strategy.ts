import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type VerifyFunction } from 'passport-http-bearer';
import { parseAuthorizationHeader, type AuthenticatedClient } from '@playground/oauth-contracts';
import { TOKEN_VERIFIER, type TokenVerifier } from '../verifiers/token-verifier';
import { oauthTelemetry } from '@playground/telemetry';

export const BEARER_STRATEGY = 'playground-bearer';

/**
 * passport-http-bearer reads `Authorization: <scheme> <token>` and matches the scheme with
 * `/^Bearer$/i`, so `bearer xyz` works as RFC 6750 §2.1 / RFC 9110 §11.1 require. It also reads
 * `access_token` from the query and body; BearerAuthGuard refuses those before passport runs.
 * The token goes to the verifier of the configured mode, which throws BearerError.
 *
 * passport-http-bearer splits the header on a single space, so `Bearer  <token>` (two spaces)
 * would be a malformed header; RFC 6750 §2.1 allows `1*SP`. `authenticate` hands passport the
 * header as `parseAuthorizationHeader` reads it (one space), on a view of the request.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {
    super();
  }

  override authenticate(...[request, options]: Parameters<Strategy<VerifyFunction>['authenticate']>): void {
    const header = request.headers?.['authorization'];
    const parsed = typeof header === 'string' ? parseAuthorizationHeader(header) : undefined;
    if (!parsed || `${parsed.scheme} ${parsed.credentials}` === header) return super.authenticate(request, options);
    const headers = { ...request.headers, authorization: `${parsed.scheme} ${parsed.credentials}` };
    return super.authenticate(Object.create(request, { headers: { value: headers } }), options);
  }

  async validate(token: string): Promise<AuthenticatedClient> {
    const client = await this.verifier.verify(token);
    oauthTelemetry.tokenValidated({ clientId: client.clientId, validationMode: client.validatedBy, scopes: client.scopes });
    return client;
  }
}
