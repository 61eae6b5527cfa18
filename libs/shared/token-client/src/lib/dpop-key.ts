import { randomUUID, createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** What a DPoP proof is for (RFC 9449 §4.2). */
export interface DpopProofTarget {
  /** HTTP method, e.g. `POST`. */
  htm: string;
  /** The request URL; query and fragment are dropped, as §4.2 requires. */
  htu: string | URL;
  /** At a resource server: the access token the proof goes with (→ `ath`). */
  accessToken?: string;
}

/**
 * A DPoP key pair (RFC 9449) held in memory for the life of the process, and the proofs it signs
 * (jose). One per client instance: every token it gets is bound to this key, and every resource
 * request proves possession of it. The private key never leaves the process (not extractable).
 */
export class DpopKey {
  private constructor(
    private readonly privateKey: CryptoKey,
    /** The public JWK, sent in every proof's `jwk` header. */
    readonly publicJwk: JWK,
    /** JWS algorithm, e.g. `ES256`. */
    readonly alg: string,
  ) {}

  /** A fresh key pair. `alg`: ES256 (default), EdDSA, PS256 or RS256. */
  static async generate(alg = 'ES256'): Promise<DpopKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: false, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
    const jwk = await exportJWK(publicKey);
    return new DpopKey(privateKey, jwk, alg);
  }

  /**
   * A proof JWT for one request: header `typ: dpop+jwt`, `alg`, `jwk`; claims `jti` (random),
   * `htm`, `htu` (without query and fragment), `iat` (now, seconds) and, with an access token,
   * `ath` = base64url(SHA-256(token)). A new proof per request: resource servers refuse a replay.
   */
  proof({ htm, htu, accessToken }: DpopProofTarget, now = Date.now()): Promise<string> {
    const url = new URL(htu);
    url.search = '';
    url.hash = '';
    return new SignJWT({
      htm,
      htu: url.toString(),
      ...(accessToken !== undefined ? { ath: createHash('sha256').update(accessToken, 'ascii').digest('base64url') } : {}),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: this.alg, jwk: this.publicJwk })
      .setJti(randomUUID())
      .setIssuedAt(Math.floor(now / 1000))
      .sign(this.privateKey);
  }
}
