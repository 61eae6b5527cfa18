import type { ClientAuthMethodName } from '../clients/client';
import type { OAuthRequest } from '../http/oauth-request';

/** Credentials a request presents, before anyone has checked them. */
export interface PresentedCredentials {
  method: ClientAuthMethodName;
  clientId: string;
  secret: string;
}

/**
 * One client-authentication method (RFC 6749 §2.3). It only reads credentials off the request;
 * checking them is the authenticator's job. Adding `private_key_jwt` means one more of these.
 */
export interface ClientAuthMethod {
  readonly name: ClientAuthMethodName;
  /** Undefined when the request does not use this method at all. */
  extract(request: OAuthRequest): PresentedCredentials | undefined;
}

export const CLIENT_AUTH_METHOD_LIST = Symbol('CLIENT_AUTH_METHOD_LIST');
