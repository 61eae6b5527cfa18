import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { AuthenticatedClient } from '@playground/oauth-contracts';
import { TOKEN_VERIFIER, type TokenVerifier } from '../verifiers/token-verifier';
import { oauthTelemetry } from '@playground/telemetry';

export const BEARER_STRATEGY = 'playground-bearer';

/**
 * passport-http-bearer reads `Authorization: <scheme> <token>` and matches the scheme with
 * `/^Bearer$/i`, so `bearer xyz` works as RFC 6750 §2.1 / RFC 9110 §11.1 require. It also reads
 * `access_token` from the query and body; BearerAuthGuard refuses those before passport runs.
 * The token goes to the verifier of the configured mode, which throws BearerError.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {
    super();
  }

  async validate(token: string): Promise<AuthenticatedClient> {
    const client = await this.verifier.verify(token);
    oauthTelemetry.tokenValidated({ clientId: client.clientId, validationMode: client.validatedBy, scopes: client.scopes });
    return client;
  }
}
