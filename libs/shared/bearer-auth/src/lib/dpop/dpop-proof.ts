import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify, type JWK, type JWTPayload } from 'jose';

/** RFC 9449 §4.2: the media type of a DPoP proof, in its `typ` header. */
export const DPOP_PROOF_TYP = 'dpop+jwt';

/** Why a proof was refused: `proof` (RFC 9449 §4.3 checks) or `binding` (the key is not the token's). */
export type DpopFailure = 'proof' | 'binding';

/** A refused proof. `description` is safe to send; `reason` is for the log only. */
export class DpopProofError extends Error {
  constructor(
    readonly description: string,
    readonly reason: string,
    readonly failure: DpopFailure = 'proof',
  ) {
    super(description);
    this.name = 'DpopProofError';
  }
}

export interface DpopProofExpectation {
  /** The request's method, e.g. `GET` (compared case-sensitively, RFC 9449 §4.3 step 8). */
  htm: string;
  /** The request's URL; query and fragment are ignored on both sides (§4.3 step 9). */
  htu: string;
  /** The JWS algorithms accepted (the ones announced in metadata and challenges). */
  algorithms: readonly string[];
  /** At a resource server: the access token, whose SHA-256 must be the proof's `ath` (§4.3 step 10). */
  accessToken?: string;
  /** At a resource server: the token's `cnf.jkt`; the proof key's thumbprint must equal it (§4.3 step 12). */
  jkt?: string;
  /** Oldest acceptable `iat`, in seconds before now (default 60). */
  maxAgeSeconds?: number;
  /** Latest acceptable `iat`, in seconds after now, for clock skew (default 10). */
  maxFutureSeconds?: number;
  /** Unix seconds, for tests. */
  now?: number;
}

/** A proof that passed every check except replay, which the caller's replay cache decides. */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's public key (the token's `cnf.jkt`). */
  jkt: string;
  jti: string;
  /** Unix seconds. */
  iat: number;
  /** Unix seconds after which this proof is refused as stale anyway: how long its jti must be remembered. */
  staleAt: number;
}

const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Verifies one DPoP proof JWT per RFC 9449 §4.3 — everything but `jti` replay, which needs
 * state the caller owns (a cache per resource server, Postgres at the token endpoint).
 *
 * Checks, in order: a single compact JWS; `typ` is `dpop+jwt`; `alg` is one of `algorithms`
 * (so never `none` or an HMAC); `jwk` is a public key (private members refused); the signature
 * verifies with that `jwk`; `jti`, `htm`, `htu`, `iat` are present; `htm` and `htu` match the
 * request; `iat` lies within `maxAgeSeconds` in the past and `maxFutureSeconds` in the future;
 * `ath` is the base64url SHA-256 of `accessToken` when one is given; the key's thumbprint equals
 * `jkt` when one is given.
 *
 * @throws DpopProofError (`failure: 'binding'` only for a thumbprint that is not the token's).
 */
export async function verifyDpopProof(proof: string, expected: DpopProofExpectation): Promise<VerifiedDpopProof> {
  if (!proof || proof.length > MAX_PROOF_LENGTH) throw new DpopProofError('the DPoP proof is malformed', 'empty or oversized proof');
  let payload: JWTPayload;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: DPOP_PROOF_TYP,
      algorithms: [...expected.algorithms],
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
    });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (error) {
    const detail = error instanceof errors.JOSEError ? `${error.code}: ${error.message}` : String(error);
    throw new DpopProofError('the DPoP proof is invalid', detail);
  }
  if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) {
    throw new DpopProofError('the DPoP proof is invalid', 'the jwk header carries private key members');
  }
  const { jti, htm, htu, iat, ath } = payload as JWTPayload & { htm?: unknown; htu?: unknown; ath?: unknown };
  if (typeof jti !== 'string' || !jti || jti.length > MAX_JTI_LENGTH) throw new DpopProofError('the DPoP proof is invalid', 'bad jti');
  if (htm !== expected.htm) throw new DpopProofError('the DPoP proof is for another method', `htm ${String(htm).slice(0, 10)}`);
  if (typeof htu !== 'string' || withoutQueryAndFragment(htu) !== withoutQueryAndFragment(expected.htu)) {
    throw new DpopProofError('the DPoP proof is for another URL', 'htu mismatch');
  }
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  const maxAge = expected.maxAgeSeconds ?? 60;
  const maxFuture = expected.maxFutureSeconds ?? 10;
  if (typeof iat !== 'number' || iat < now - maxAge || iat > now + maxFuture) {
    throw new DpopProofError('the DPoP proof is stale or from the future', `iat ${iat} at ${now}`);
  }
  if (expected.accessToken !== undefined && ath !== accessTokenHash(expected.accessToken)) {
    throw new DpopProofError('the DPoP proof is for another access token', 'ath mismatch');
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  if (expected.jkt !== undefined && jkt !== expected.jkt) {
    throw new DpopProofError('the DPoP proof key is not the key the access token is bound to', 'jkt mismatch', 'binding');
  }
  return { jkt, jti, iat, staleAt: iat + maxAge };
}

/** RFC 9449 §4.2 `ath`: base64url of the SHA-256 of the ASCII access token. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * RFC 9449 §4.3 step 9: `htu` compared without query and fragment, after the URL syntax
 * normalisation of RFC 3986 §6.2.2-3 that WHATWG URL parsing applies (case of scheme and host,
 * default port, dot segments). Anything unparsable compares as itself.
 */
export function withoutQueryAndFragment(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/** Replay-cache key of a proof: its jti, hashed so the cache holds fixed-size keys only. */
export function proofReplayKey(proof: VerifiedDpopProof): string {
  return createHash('sha256').update(`${proof.jkt}:${proof.jti}`).digest('base64url');
}
