import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A DPoP key for specs, with a proof builder whose every claim and header can be overridden. */
export interface SpecDpopKey {
  publicJwk: JWK;
  jkt: string;
  proof(
    claims: { htm: string; htu: string; accessToken?: string } & Record<string, unknown>,
    header?: Record<string, unknown>,
  ): Promise<string>;
}

export async function specDpopKey(alg = 'ES256'): Promise<SpecDpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return {
    publicJwk,
    jkt: await calculateJwkThumbprint(publicJwk, 'sha256'),
    proof: ({ accessToken, ...claims }, header = {}) =>
      new SignJWT({
        jti: randomUUID(),
        iat: Math.floor(Date.now() / 1000),
        ...(accessToken !== undefined ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
        ...claims,
      })
        .setProtectedHeader({ typ: 'dpop+jwt', alg, jwk: publicJwk, ...header })
        .sign(privateKey as CryptoKey),
  };
}
