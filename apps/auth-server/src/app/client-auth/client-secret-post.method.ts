import { Injectable } from '@nestjs/common';
import type { ClientAuthRequest, PresentedCredentials } from './client-auth-method';
import { ClientSecretMethod } from './client-secret.verifier';

/**
 * `client_secret_post`: `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1).
 * Only a `client_secret` makes it this method: a bare `client_id` next to Basic credentials is
 * allowed by RFC 6749 and is not a second method.
 */
@Injectable()
export class ClientSecretPostMethod extends ClientSecretMethod {
  readonly name = 'client_secret_post' as const;

  present(request: ClientAuthRequest): PresentedCredentials | undefined {
    const secret = request.params['client_secret'];
    if (secret === undefined) return undefined;
    return { method: this.name, clientId: request.params['client_id'] ?? '', credential: secret };
  }
}
