import { Inject, Injectable } from '@nestjs/common';
import { DpopProofRefusedError, InvalidTokenError, type AuthenticatedClient } from '@playground/oauth-contracts';
import { BEARER_AUTH_OPTIONS, type ResolvedBearerAuthOptions } from '../bearer-auth.options';
import { DpopProofError, proofReplayKey, verifyDpopProof } from './dpop-proof';

/** What the proof verifier needs from the HTTP request. */
export interface DpopRequest {
  method: string;
  /** The absolute URL the client called (query and fragment are ignored). */
  url: string;
  /** Every `DPoP` header value the request carried. */
  proofs: string[];
}

/**
 * RFC 9449 §7.1, the resource-server half of DPoP, as its own step: it runs after the token
 * verifier (whatever the validation mode: the token's `cnf.jkt` comes from the JWT or from
 * introspection) and checks the one proof against the request, the token and the replay cache.
 *
 * @throws BearerError 401 — `invalid_dpop_proof` for a missing, malformed, stale, replayed or
 * forged proof; `invalid_token` for a token that is not bound to the proof's key (or to any).
 */
@Injectable()
export class DpopProofVerifier {
  constructor(@Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions) {}

  /** The `algs` this resource server announces. */
  get algorithms(): readonly string[] {
    return this.options.dpop.algorithms;
  }

  async verify(request: DpopRequest, token: string, client: AuthenticatedClient): Promise<void> {
    if (!client.jkt)
      throw new InvalidTokenError('the access token is not DPoP-bound', { reason: 'DPoP scheme with a bearer token' }).onScheme('DPoP');
    if (request.proofs.length !== 1) {
      throw new DpopProofRefusedError('send exactly one DPoP proof', { reason: `${request.proofs.length} DPoP headers` });
    }
    const { algorithms, maxAgeSeconds, maxFutureSeconds, replayCache } = this.options.dpop;
    let proof;
    try {
      proof = await verifyDpopProof(request.proofs[0], {
        htm: request.method,
        htu: request.url,
        accessToken: token,
        jkt: client.jkt,
        algorithms,
        maxAgeSeconds,
        maxFutureSeconds,
      });
    } catch (error) {
      if (!(error instanceof DpopProofError)) throw error;
      if (error.failure === 'binding') throw new InvalidTokenError(error.description, { reason: error.reason }).onScheme('DPoP');
      throw new DpopProofRefusedError(error.description, { reason: error.reason });
    }
    // Last, so a forged or stale proof never fills the cache.
    if (!(await replayCache.firstUse(proofReplayKey(proof), proof.staleAt))) {
      throw new DpopProofRefusedError('the DPoP proof was already used', { reason: 'replayed jti' });
    }
  }
}
