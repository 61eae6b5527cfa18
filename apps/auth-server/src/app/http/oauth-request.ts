/** What the OAuth endpoints need from an HTTP request, framework-free. */
export interface OAuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Form parameters after the form step: exactly one string per name. */
  params: Record<string, string>;
  /**
   * The client's address: the TCP peer's, or — only when that peer is a proxy named in
   * TRUST_PROXY — the one it forwarded (X-Forwarded-For). The failed-authentication throttle keys
   * on it. Undefined outside a request (CLI, tests).
   */
  sourceAddress?: string;
}
