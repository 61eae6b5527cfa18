import { decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { SIGNING_ALGS } from '../keys/signing-algorithms';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The contract: `exp` at most 5 minutes ahead, so a stolen assertion is worth little and its jti is not kept long. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock skew allowed between client and server on `exp`, `nbf` and `iat`, in seconds. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 5;
/** Longest assertion worth parsing (a JWS with a 4096-bit RSA signature is well under this). */
export const MAX_ASSERTION_LENGTH = 8192;
/**
 * Algorithms accepted in client assertions: the four this server signs with, plus `Ed25519`,
 * RFC 9864's fully-specified name for EdDSA over Ed25519, which current clients (oauth4webapi,
 * hence openid-client v6) put in the header of an Ed25519 assertion.
 */
export const ASSERTION_ALGS: readonly string[] = [...SIGNING_ALGS, 'Ed25519'];
/** A `jti` Postgres can store and index: 1–200 characters, no control characters or lone surrogates. */
const STORABLE_JTI = /^[^\p{Cc}\p{Cs}]{1,200}$/u;

/** Why an assertion was refused; the message goes to the log only, the client sees `invalid_client`. */
export class ClientAssertionError extends Error {
  override readonly name = 'ClientAssertionError';
}

export interface ClientAssertionExpectations {
  /** The client the assertion must be by: `iss` and `sub` (RFC 7523 §3 items 1–2). */
  clientId: string;
  /** This server's issuer identifier: the `aud` the contract asks for (RFC 7523 §3 item 3). */
  issuer: string;
  /** The token endpoint URL, also accepted as `aud` (legacy clients; RFC 7521 §5.1 allowed it). */
  tokenEndpoint: string;
  /** The client's registered keys (jose `createLocalJWKSet` / `createRemoteJWKSet`). */
  keys: JWTVerifyGetKey;
  /** Unix seconds; defaults to now. */
  now?: number;
}

/** What a verified assertion leaves behind: its `jti` and `exp` (unix seconds), for replay protection. */
export interface VerifiedClientAssertion {
  jti: string;
  exp: number;
}

/**
 * The client an assertion claims to be by (`iss`), read without verifying anything: it only
 * says whose keys to verify with. Throws ClientAssertionError if the assertion is not a JWT.
 */
export function claimedClientId(assertion: string): string {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw new ClientAssertionError('assertion too long');
  let iss: unknown;
  try {
    ({ iss } = decodeJwt(assertion));
  } catch {
    throw new ClientAssertionError('assertion is not a JWT');
  }
  if (typeof iss !== 'string' || !iss) throw new ClientAssertionError('assertion has no iss');
  return iss;
}

/**
 * Checks a private_key_jwt client assertion (RFC 7523 §3, RFC 7521 §4.2), every check the
 * contract lists, and nothing stateful (the single use of `jti` is the caller's, in Postgres):
 * - signed with one of the client's registered keys, by RS256, PS256, ES256 or EdDSA (Ed25519) only —
 *   jose refuses `none` and, since no HMAC is listed, an HMAC "signed" with a public key, before
 *   any key is looked at; only the given key set is consulted, never a `jwk`/`jku`/`x5u` header;
 * - `iss` = `sub` = the client id;
 * - `aud` names the issuer (or, legacy, the token endpoint URL);
 * - `exp` present, not past, and at most MAX_ASSERTION_LIFETIME_SECONDS ahead; `nbf`/`iat`
 *   not in the future; each with ASSERTION_CLOCK_TOLERANCE_SECONDS of skew;
 * - `jti` present and storable.
 * Throws ClientAssertionError naming the failed check (for the log).
 */
export async function verifyClientAssertion(assertion: string, expected: ClientAssertionExpectations): Promise<VerifiedClientAssertion> {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw new ClientAssertionError('assertion too long');
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, expected.keys, {
      algorithms: [...ASSERTION_ALGS],
      issuer: expected.clientId,
      subject: expected.clientId,
      audience: [expected.issuer, expected.tokenEndpoint],
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'jti'],
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    throw new ClientAssertionError(describe(error), { cause: error });
  }
  const { exp, jti, iat } = payload;
  if (typeof exp !== 'number') throw new ClientAssertionError('exp is not a number');
  if (exp > now + MAX_ASSERTION_LIFETIME_SECONDS + ASSERTION_CLOCK_TOLERANCE_SECONDS) {
    throw new ClientAssertionError(`exp is ${exp - now} s ahead, more than ${MAX_ASSERTION_LIFETIME_SECONDS} s`);
  }
  if (typeof iat === 'number' && iat > now + ASSERTION_CLOCK_TOLERANCE_SECONDS) throw new ClientAssertionError('iat is in the future');
  if (typeof jti !== 'string' || !STORABLE_JTI.test(jti))
    throw new ClientAssertionError('jti is not a string of 1-200 printable characters');
  return { jti, exp };
}

function describe(error: unknown): string {
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed (only RS256, PS256, ES256, EdDSA/Ed25519)';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no registered key matches the assertion';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify with the registered key';
  if (error instanceof errors.JWTExpired) return 'assertion expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}: ${error.message}`;
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  return `keys unavailable: ${(error as Error)?.message}`;
}
