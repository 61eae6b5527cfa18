import { generateKeyPair as generateKeyPairCb, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPair = promisify(generateKeyPairCb);

/**
 * The JWS algorithms (RFC 7518 §3, RFC 8037 §3.1) this server signs access tokens with and
 * accepts in client assertions — asymmetric only, so no shared secret is ever a signing key, and
 * each one that FAPI 2.0 or the big servers' users ask for (docs/adr/0010-private-key-jwt-and-signing-keys.md):
 *   RS256  RSASSA-PKCS1-v1_5 + SHA-256, 2048-bit keys — the default; every library verifies it.
 *   PS256  RSASSA-PSS + SHA-256 — RSA with a provably secure padding (FAPI allows PS256, not RS256).
 *   ES256  ECDSA P-256 + SHA-256 — small keys and signatures, fast to sign.
 *   EdDSA  Ed25519 (RFC 8037) — deterministic signatures, no nonce to get wrong, fastest.
 * `none` and the HMAC family (HS256…) are never accepted: an HMAC "signature" made with a public
 * key as the secret would otherwise verify (algorithm confusion).
 */
export const SIGNING_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** The algorithm of a client that does not choose one (the contract's seed default). */
export const DEFAULT_SIGNING_ALG: SigningAlg = 'RS256';

export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === 'string' && (SIGNING_ALGS as readonly string[]).includes(value);
}

/** RSA modulus size: the floor RFC 7518 §3.3 sets for RS256/PS256 (NIST: fine through 2030). */
const RSA_BITS = 2048;

/** The public members each key type publishes in a JWK (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2). */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] };

/** A fresh key pair for `alg`; RSA generation takes tens of ms on the libuv threadpool. */
export async function generateSigningKeyPair(alg: SigningAlg): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  switch (alg) {
    case 'RS256':
    case 'PS256':
      return generateKeyPair('rsa', { modulusLength: RSA_BITS, publicExponent: 0x10001 });
    case 'ES256':
      return generateKeyPair('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generateKeyPair('ed25519');
  }
}

/**
 * The public JWK of a key: `kty` and its type's public members only, in RFC 7638 order-free
 * form (the thumbprint function sorts). Never a private member, whatever the input holds.
 */
export function publicJwkOf(key: KeyObject | Record<string, unknown>): Record<string, string> {
  const jwk = ('export' in key && typeof key.export === 'function' ? (key as KeyObject).export({ format: 'jwk' }) : key) as Record<
    string,
    unknown
  >;
  const kty = String(jwk['kty']);
  const members = PUBLIC_MEMBERS[kty];
  if (!members) throw new Error(`unsupported key type ${kty}`);
  return Object.fromEntries([['kty', kty], ...members.map((m) => [m, String(jwk[m])])]);
}
