/** The few things of a Fastify request the 404/405 decision needs. */
export interface RoutedRequest {
  method?: string;
  url?: string;
  /** Set by Fastify when a route matched; absent in its not-found handler. */
  routeOptions?: { url?: string };
  server?: { findRoute(options: { method: string; url: string }): { params?: Record<string, unknown> } | null | undefined };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/**
 * For a request no route matched: the methods the same path does accept (RFC 9110 §15.5.6, the
 * `Allow` of a 405), `[]` when the path is unknown (a plain 404), or undefined when a route did
 * match (the 404 came from a handler, e.g. an unknown country). The query string is stripped
 * before matching and is never part of any answer. Catch-all routes (a `*` wildcard, such as the
 * CORS plugin's `OPTIONS *` preflight route) match every path and say nothing about this one.
 */
export function allowedMethods(request: RoutedRequest | undefined): string[] | undefined {
  if (!request?.server || request.routeOptions?.url !== undefined) return undefined;
  const path = (request.url ?? '/').split('?')[0];
  return METHODS.filter((method) => {
    if (method === request.method) return false;
    const route = request.server?.findRoute({ method, url: path });
    return !!route && !Object.prototype.hasOwnProperty.call(route.params ?? {}, '*');
  });
}
