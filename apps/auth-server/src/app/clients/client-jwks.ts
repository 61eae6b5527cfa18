import { importJWK, type JWK } from 'jose';
import { isSigningAlg } from '../keys/signing-algorithms';
import type { PublicJwkSet } from './client';

/** JWK members that belong to private or symmetric keys (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** Key types and curves that can verify RS256/PS256, ES256 and EdDSA (Ed25519). */
const SUPPORTED = { RSA: undefined, EC: 'P-256', OKP: 'Ed25519' } as Record<string, string | undefined>;
const MAX_KEYS = 10;

/**
 * Validates a JWK Set registered for private_key_jwt (RFC 7591 `jwks`) and returns it with
 * exactly the members it had. Throws an Error with a user-facing message when:
 * - it is not `{"keys":[…]}` with 1–10 keys;
 * - a key carries a private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`) or is symmetric
 *   (`kty: "oct"`, `k`) — a private key must never be sent to or stored by the server;
 * - a key is not RSA (≥ 2048 bits), EC P-256 or OKP Ed25519, has `use` other than `sig`, or an
 *   `alg` other than RS256, PS256, ES256 or EdDSA;
 * - jose cannot import it.
 */
export async function validatePublicJwks(input: unknown): Promise<PublicJwkSet> {
  const keys = (input as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) {
    throw new Error(`jwks: a JWK Set {"keys":[...]} with 1 to ${MAX_KEYS} public keys`);
  }
  for (const [index, key] of keys.entries()) {
    const where = `jwks key ${index}${typeof key?.kid === 'string' ? ` (kid ${key.kid})` : ''}`;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error(`${where}: not a JWK object`);
    const jwk = key as Record<string, unknown>;
    const secretMembers = PRIVATE_MEMBERS.filter((m) => m in jwk);
    if (secretMembers.length || jwk['kty'] === 'oct') {
      throw new Error(
        `${where}: private or symmetric key material (${secretMembers.join(', ') || 'kty oct'}) refused; register public keys only`,
      );
    }
    const kty = String(jwk['kty']);
    if (!(kty in SUPPORTED)) throw new Error(`${where}: kty must be RSA, EC (P-256) or OKP (Ed25519)`);
    if (SUPPORTED[kty] && jwk['crv'] !== SUPPORTED[kty]) throw new Error(`${where}: ${kty} keys must use curve ${SUPPORTED[kty]}`);
    if (jwk['use'] !== undefined && jwk['use'] !== 'sig') throw new Error(`${where}: use must be "sig"`);
    if (jwk['alg'] !== undefined && !isSigningAlg(jwk['alg']) && jwk['alg'] !== 'Ed25519') {
      throw new Error(`${where}: alg must be RS256, PS256, ES256 or EdDSA (Ed25519)`);
    }
    if (kty === 'RSA' && Buffer.from(String(jwk['n'] ?? ''), 'base64url').length < 256)
      throw new Error(`${where}: RSA keys must be at least 2048 bits`);
    const alg = typeof jwk['alg'] === 'string' ? jwk['alg'] : { RSA: 'RS256', EC: 'ES256', OKP: 'EdDSA' }[kty];
    try {
      await importJWK(jwk as JWK, alg);
    } catch (error) {
      throw new Error(`${where}: not a valid public key (${(error as Error).message})`);
    }
  }
  return { keys: keys as PublicJwkSet['keys'] };
}

/**
 * Validates a `jwks_uri`: an absolute https URL without fragment or credentials (plain http only
 * when private addresses are allowed, i.e. local tests). Where it points is checked at fetch time.
 */
export function validateJwksUri(value: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('jwks_uri: an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new Error('jwks_uri: https only');
  if (url.hash || url.username || url.password) throw new Error('jwks_uri: no fragment and no credentials');
  if (value.length > 2000) throw new Error('jwks_uri: at most 2000 characters');
  return url.href;
}
