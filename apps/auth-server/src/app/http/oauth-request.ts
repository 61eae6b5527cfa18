/** What the OAuth endpoints need from an HTTP request, framework-free. */
export interface OAuthRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Form parameters after the form step: exactly one string per name. */
  params: Record<string, string>;
  /**
   * The TCP peer's address (`trustProxy` is off, so no header can forge it): the
   * failed-authentication throttle keys on it. Undefined outside a request (CLI, tests).
   */
  sourceAddress?: string;
}
