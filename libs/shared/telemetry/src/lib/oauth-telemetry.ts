import { oauthMetrics, revocationFeedSynced } from './oauth-metrics';
import { setOAuthSpanAttributes } from './oauth-attributes';

/**
 * One call per OAuth event at its call site: the metric and the `oauth.*` span attributes move
 * together. Every argument is an identifier or a name, never a credential.
 */
export const oauthTelemetry = {
  /** auth-server: a client authenticated (`cache`: did the secret verification cache answer?). */
  clientAuthenticated(clientId: string, authMethod: string, cache: 'hit' | 'miss'): void {
    setOAuthSpanAttributes({ clientId, authMethod, cache });
  },
  /** auth-server: a client authentication failed (the caller-supplied id is not recorded). */
  clientAuthFailed(authMethod: string): void {
    oauthMetrics.clientAuthFailures.inc({ method: authMethod });
    setOAuthSpanAttributes({ authMethod, error: 'invalid_client' });
  },
  /** auth-server: an access token was issued. */
  tokenIssued(facts: { grantType?: string; clientId: string; tokenFormat: string; scopes: readonly string[]; kid?: string | null }): void {
    oauthMetrics.tokensIssued.inc({ client_id: facts.clientId, format: facts.tokenFormat });
    setOAuthSpanAttributes({ ...facts, kid: facts.kid ?? undefined });
  },
  /** Resource servers: a bearer token was accepted (`validationMode`: what validated it). */
  tokenValidated(facts: { clientId: string; validationMode: string; scopes: readonly string[] }): void {
    setOAuthSpanAttributes(facts);
  },
  /** Resource servers: an introspection outcome came from the cache, or a call was made. */
  introspection(cache: 'hit' | 'miss'): void {
    (cache === 'hit' ? oauthMetrics.introspectionCacheHits : oauthMetrics.introspectionCalls).inc();
    setOAuthSpanAttributes({ cache, validationMode: 'introspection' });
  },
  /** Resource servers: the JWKS was fetched. */
  jwksFetched(): void {
    oauthMetrics.jwksFetches.inc();
  },
  /** Resource servers: the revocations feed answered. */
  revocationFeedSynced,
  /** Clients: a token came from the client's cache or was requested. */
  clientTokenCache(cache: 'hit' | 'miss', clientId: string): void {
    setOAuthSpanAttributes({ cache, clientId, grantType: 'client_credentials' });
  },
  /** archival-service: a run finished. */
  archivalRunFinished(status: string): void {
    oauthMetrics.archivalRuns.inc({ status });
  },
};
