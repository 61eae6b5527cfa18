import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload, type KeyObject } from 'jose';

/** RFC 7523 §2.2 `client_assertion_type`. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The seeded client's published playground key pair (docs/keys). */
export const PKJWT_PRIVATE_JWK: JWK = JSON.parse(
  readFileSync(join(__dirname, '../../../../docs/keys/service-client-pkjwt.private.jwk.json'), 'utf8'),
);

export async function pkjwtPrivateKey(): Promise<CryptoKey> {
  return (await importJWK(PKJWT_PRIVATE_JWK, 'ES256')) as CryptoKey;
}

/**
 * A client assertion (RFC 7523 §3) as a careful client builds it: iss = sub = clientId,
 * aud = the issuer, a fresh jti, exp 60 s ahead. `claims` override or (undefined) remove claims.
 */
export async function clientAssertion(
  clientId: string,
  audience: string,
  key: CryptoKey | KeyObject | Uint8Array,
  options: { alg?: string; kid?: string; claims?: JWTPayload; header?: Record<string, unknown> } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: clientId,
    sub: clientId,
    aud: audience,
    iat: now,
    exp: now + 60,
    jti: randomUUID(),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'ES256', ...(options.kid ? { kid: options.kid } : {}), ...options.header })
    .sign(key);
}

/** The form of a private_key_jwt request. */
export function assertionParams(assertion: string, extra: Record<string, string> = {}): Record<string, string> {
  return { client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra };
}
