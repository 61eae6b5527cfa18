import type { ClientAuthMethodName, RegisteredClient } from '../clients/client';
import type { OAuthRequest } from '../http/oauth-request';

/**
 * What a client-authentication method sees of a request: the parsed form and the headers, plus
 * the URLs an assertion-based method (`private_key_jwt`, RFC 7523 §3) checks its audience against.
 */
export interface ClientAuthRequest extends OAuthRequest {
  /** The authorization server's issuer identifier (RFC 8414 §2). */
  issuer: string;
  /** The absolute URL of the endpoint being called, e.g. `<issuer>/oauth2/token`. */
  endpointUrl: string;
}

/**
 * Credentials a request presents, read without any I/O and before anyone has checked them.
 * `credential` is the method's proof of identity: a client secret, or a client assertion.
 */
export interface PresentedCredentials {
  method: ClientAuthMethodName;
  /** The client the credentials claim to be; '' when they name none. */
  clientId: string;
  credential: string;
}

/** A registered client with what its credentials are checked against (never sent anywhere). */
export interface ClientOnFile {
  client: RegisteredClient;
  /** argon2id hash of its secret; null for a client without one (private_key_jwt only). */
  secretHash: string | null;
  /** The previous secret's hash, while a `rotate-secret --grace` period lasts, and its end. */
  previousSecretHash?: string;
  previousSecretExpiresAt?: Date;
}

/** A failed verification with its reason, for the log and the audit row (never for the client). */
export interface VerificationFailure {
  reason: string;
}

/**
 * One client-authentication method (RFC 6749 §2.3, RFC 7591 §2 `token_endpoint_auth_method`).
 * The shared step (ClientAuthenticator) asks each registered method whether the request uses it,
 * refuses zero or several, refuses a form `client_id` naming another client, loads the client,
 * lets the method verify, then applies what is common to every method (enabled? method registered
 * for this client?) and turns every failure into one generic `invalid_client`.
 *
 * Adding a method (`private_key_jwt`) is one file implementing this plus its registration in
 * ClientAuthModule's CLIENT_AUTH_METHOD_LIST.
 */
export interface ClientAuthMethod {
  readonly name: ClientAuthMethodName;

  /**
   * Whether the request uses this method, and with which credentials: undefined when it does not.
   * No I/O. Throws InvalidClientError when the request plainly tries this method but malformed
   * (a Basic header that is not base64, an assertion that is not a JWT).
   */
  present(request: ClientAuthRequest): PresentedCredentials | undefined;

  /**
   * Resolves true when the credentials prove the client's identity. `onFile` is undefined for an
   * unknown client id: the method must then spend what a wrong credential costs, so timing does
   * not reveal which ids exist. Must not check `enabled` or the registered methods (the caller does).
   */
  verify(
    presented: PresentedCredentials,
    onFile: ClientOnFile | undefined,
    request: ClientAuthRequest,
  ): Promise<boolean | VerificationFailure>;

  /**
   * Optional fast path: the client whose identical credentials were verified recently, or
   * undefined. Only used when the endpoint confirms `enabled AND secret_version` in the statement
   * that acts for the client (ClientConfirmation), so a stale answer cannot act.
   */
  recentlyVerified?(presented: PresentedCredentials): RegisteredClient | undefined;

  /**
   * Optional: true when these identical credentials verified before in this process (longer ago
   * than `recentlyVerified` remembers), so the attempt is not a guess. The credentials are still
   * verified in full; the failed-authentication throttle only does not hold them back (ADR 0007).
   */
  verifiedBefore?(presented: PresentedCredentials): boolean;

  /** Drops what `recentlyVerified` and `verifiedBefore` remember about a client (it changed under us). */
  forget?(clientId: string): void;
}

export const CLIENT_AUTH_METHOD_LIST = Symbol('CLIENT_AUTH_METHOD_LIST');
