import { randomBytes } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

/** What the page shows of an access token: never the token itself. */
export interface TokenView {
  format: 'jwt' | 'opaque';
  /** JOSE header (JWT only): `alg`, `typ`, `kid`. */
  header?: Record<string, unknown>;
  /** Claims (JWT only). */
  claims?: JWTPayload;
  /** True when the signature and `iss` check out against the JWKS the auth-server serves now. */
  verified: boolean;
  /** How it was checked, or why it failed. */
  verification: string;
  /** Expiry, epoch seconds (from `exp`, or from `expires_in` for opaque tokens). */
  expiresAt?: number;
  /** Plain-language notes on `aud`, `cnf`, `scope`. */
  explanations: string[];
}

/**
 * Decodes a JWT access token (RFC 9068) and verifies it the way a resource server would: the
 * signature against the auth-server's live JWKS (fetched now, from the `jwks_uri` of its RFC 8414
 * metadata), the issuer, `typ: at+jwt`. Opaque tokens only get their lifetime (only the
 * auth-server can read them: RFC 7662 introspection). The fetches are not traced (nor sampled by
 * the services): they are the console's own check, not part of the scenario being shown.
 */
export async function inspectToken(accessToken: string, expiresIn: number | undefined, authServerUrl: string): Promise<TokenView> {
  const issuedView = (expiresAt?: number): Pick<TokenView, 'expiresAt'> => (expiresAt ? { expiresAt } : {});
  if (accessToken.split('.').length !== 3) {
    return {
      format: 'opaque',
      verified: false,
      verification: 'opaque reference: nothing to decode; ms-system asks the auth-server about it (introspection, RFC 7662)',
      ...issuedView(expiresIn ? Math.floor(Date.now() / 1000) + expiresIn : undefined),
      explanations: ['An opaque token carries no claims: its meaning lives in the auth-server database, so it can be revoked at once.'],
    };
  }
  let header: Record<string, unknown> = {};
  let claims: JWTPayload = {};
  try {
    header = decodeProtectedHeader(accessToken) as Record<string, unknown>;
    claims = decodeJwt(accessToken);
  } catch {
    return { format: 'jwt', verified: false, verification: 'not a well-formed JWT', explanations: [] };
  }
  let verified = false;
  let verification: string;
  try {
    const { issuer, jwksUri } = await untraced(() => discover(authServerUrl));
    const jwks = await untraced(() => getJson<JSONWebKeySet>(jwksUri));
    await jwtVerify(accessToken, createLocalJWKSet(jwks), { issuer, typ: 'at+jwt' });
    verified = true;
    verification = `signature verified with key ${String(header['kid'] ?? '(no kid)')} from the live JWKS (${jwksUri}); issuer and typ at+jwt checked`;
  } catch (error) {
    verification = `NOT verified: ${(error as Error).message}`.slice(0, 300);
  }
  return {
    format: 'jwt',
    header,
    claims,
    verified,
    verification,
    ...issuedView(typeof claims.exp === 'number' ? claims.exp : undefined),
    explanations: explain(claims),
  };
}

/** Notes on the claims that people most often misread. */
export function explain(claims: JWTPayload & { cnf?: { jkt?: string }; scope?: unknown; client_id?: unknown }): string[] {
  const notes: string[] = [];
  const aud = claims.aud;
  if (aud === undefined) notes.push('aud: absent: any resource server that trusts this issuer accepts it.');
  else {
    const list = Array.isArray(aud) ? aud : [aud];
    notes.push(
      list.length === 1 && list[0] === claims.client_id
        ? `aud: "${list[0]}" is the client itself (the seed's default): no resource was named, so the token is not bound to one resource server. Request it with resource=… (RFC 8707) to bind it.`
        : `aud: meant for ${list.map((a) => `"${a}"`).join(', ')} only (RFC 8707 resource indicators): any other resource server must refuse it.`,
    );
  }
  if (claims.cnf?.jkt) {
    notes.push(`cnf.jkt: bound to a DPoP key (RFC 9449) with thumbprint ${claims.cnf.jkt}: useless without a proof signed by that key.`);
  } else {
    notes.push('cnf: absent: a bearer token, usable by whoever holds it (RFC 6750). DPoP (RFC 9449) would bind it to a key.');
  }
  if (typeof claims.scope === 'string') notes.push(`scope: "${claims.scope}": what the resource server will allow.`);
  return notes;
}

function untraced<T>(work: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), work);
}

async function discover(authServerUrl: string): Promise<{ issuer: string; jwksUri: string }> {
  const base = authServerUrl.replace(/\/+$/, '');
  const url = new URL(base);
  // RFC 8414 §3: the well-known segment goes between the host and the issuer's path.
  const metadata = await getJson<{ issuer: string; jwks_uri: string }>(
    `${url.origin}/.well-known/oauth-authorization-server${url.pathname}`,
  ).catch(() => getJson<{ issuer: string; jwks_uri: string }>(`${base}/.well-known/oauth-authorization-server`));
  // Like ms-system: the advertised endpoints are called through AUTH_SERVER_URL when the issuer
  // is a public name this process cannot reach (docker-compose: localhost:8085 vs auth-server:8085).
  const jwksUri = metadata.jwks_uri.startsWith(metadata.issuer)
    ? base + metadata.jwks_uri.slice(metadata.issuer.length)
    : metadata.jwks_uri;
  return { issuer: metadata.issuer, jwksUri };
}

/**
 * A W3C `traceparent` whose sampled flag is off: the services' parent-based samplers then record
 * nothing for the request, so the console's own checks never show up as flows.
 */
export function unsampledTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { traceparent: unsampledTraceparent() }, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}
