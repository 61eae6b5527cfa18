import { Injectable } from '@nestjs/common';
import { Strategy, type VerifyFunction } from 'passport-http-bearer';
import { BearerError, InvalidBearerRequestError, MissingBearerTokenError, parseAuthorizationHeader } from '@playground/oauth-contracts';
import type { ProtectedRequest } from './bearer-auth.guard';

/** The actions passport gives a strategy for one request (passport-strategy's contract). */
interface StrategyActions {
  success(token: string): void;
  fail(challengeOrStatus?: string | number): void;
  error(error: unknown): void;
}

/**
 * Finds the bearer token of a request with passport-http-bearer, called directly: the strategy
 * reads `Authorization: <scheme> <token>` and matches the scheme with `/^Bearer$/i`, so
 * `bearer xyz` works as RFC 6750 §2.1 / RFC 9110 §11.1 require.
 *
 * Why not through passport and @nestjs/passport's AuthGuard: that adapter builds passport's
 * middleware, an options object and two promises per request to end up in the same
 * `strategy.authenticate(request)` call — measured at about a tenth of a resource-server request
 * (ADR 0012). passport itself drives a strategy the same way as here: a per-request object
 * inheriting from the strategy, given `success`/`fail`/`error`. The strategy's verify callback
 * only hands the token back; BearerAuthGuard gives it to the token verifier.
 *
 * passport-http-bearer also reads `access_token` from the query and body; BearerAuthGuard refuses
 * those before this runs. It splits the header on a single space, so `Bearer  <token>` (two
 * spaces) would be a malformed header; RFC 6750 §2.1 allows `1*SP`, so such a header is handed
 * over as `parseAuthorizationHeader` reads it (one space), on a view of the request.
 */
@Injectable()
export class BearerStrategy {
  private readonly strategy = new Strategy((token: string, done: (error: null, token: string) => void) => done(null, token));

  /**
   * The token of `Authorization: Bearer <token>`.
   * @throws MissingBearerTokenError no bearer token (no header, or another scheme): RFC 6750 §3.1, 401 without error code
   * @throws InvalidBearerRequestError the header is not `<scheme> <token>`: 400 `invalid_request`
   */
  token(request: ProtectedRequest): string {
    let outcome: string | BearerError | undefined;
    const attempt: StrategyActions = Object.create(this.strategy);
    attempt.success = (token) => (outcome = token);
    attempt.fail = (challengeOrStatus) =>
      (outcome =
        challengeOrStatus === 400 ? new InvalidBearerRequestError('malformed Authorization header') : new MissingBearerTokenError());
    attempt.error = (error) => {
      throw error;
    };
    (attempt as unknown as Strategy<VerifyFunction>).authenticate(withOneSpace(request) as never);
    if (typeof outcome === 'string') return outcome;
    // passport-http-bearer decides synchronously (its verify callback above answers at once).
    throw outcome ?? new Error('passport-http-bearer did not decide');
  }
}

/**
 * The request as passport-http-bearer can read it: the header's separating spaces folded to one
 * and trailing whitespace dropped. Most headers are already in that form; they are passed as they
 * are, without running the header regex over the whole token.
 */
function withOneSpace(request: ProtectedRequest): ProtectedRequest {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !needsNormalising(header)) return request;
  const parsed = parseAuthorizationHeader(header);
  if (!parsed) return request;
  const headers = { ...request.headers, authorization: `${parsed.scheme} ${parsed.credentials}` };
  return Object.create(request, { headers: { value: headers } }) as ProtectedRequest;
}

/** More than one space in a row, or whitespace at the end: what passport's split would trip on. */
function needsNormalising(header: string): boolean {
  return header.includes('  ') || /\s/.test(header[header.length - 1] ?? '');
}
