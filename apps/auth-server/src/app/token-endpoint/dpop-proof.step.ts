import { createHash } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { DpopProofError, verifyDpopProof } from '@playground/bearer-auth';
import { DPOP_SIGNING_ALGS, InvalidDpopProofError } from '@playground/oauth-contracts';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { DPOP_PROOF_REPLAY_REPOSITORY, type DpopProofReplayRepository } from './dpop-proof-replay.repository.port';

/** How often proofs too old to be accepted anyway are deleted. */
const PRUNE_INTERVAL_MS = 60_000;

export interface TokenRequestTarget {
  headers: Record<string, string | string[] | undefined>;
  /** The URL this request reached, as the server sees it (Host header and path). */
  requestUrl: string;
}

/**
 * Token endpoint step: RFC 9449 §5 DPoP proof. Without a `DPoP` header: nothing (the caller
 * decides whether the client needed one). With one: the §4.3 checks (verifyDpopProof, shared with
 * the resource servers), then the proof's `jti` is recorded in Postgres until the proof would be
 * stale anyway, so a captured proof buys no second token on this or any other instance (§11.1).
 * The answer is the key's RFC 7638 thumbprint, the token's future `cnf.jkt`.
 *
 * `htu` may name the token endpoint of the metadata (built from the issuer) or the URL the
 * request reached (a client that calls the server by another name, e.g. inside Docker).
 *
 * @throws InvalidDpopProofError 400 `invalid_dpop_proof`
 */
@Injectable()
export class DpopProofStep implements OnModuleDestroy {
  private readonly pruner: NodeJS.Timeout;

  constructor(
    @Inject(DPOP_PROOF_REPLAY_REPOSITORY) private readonly replays: DpopProofReplayRepository,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {
    this.pruner = setInterval(() => void this.prune().catch(() => undefined), PRUNE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruner);
  }

  async thumbprint({ headers, requestUrl }: TokenRequestTarget): Promise<string | undefined> {
    const header = headers['dpop'];
    if (header === undefined) return undefined;
    // Node joins repeated unknown headers with ", "; a compact JWS never contains a comma.
    if (Array.isArray(header) || header.includes(',')) throw new InvalidDpopProofError('send exactly one DPoP proof');
    const metadataUrl = `${this.config.ISSUER}/oauth2/token`;
    let proof;
    try {
      proof = await this.verify(header, metadataUrl).catch((error: unknown) => {
        if (error instanceof DpopProofError && error.description.includes('another URL') && requestUrl !== metadataUrl) {
          return this.verify(header, requestUrl);
        }
        throw error;
      });
    } catch (error) {
      if (error instanceof DpopProofError) throw new InvalidDpopProofError(error.description, { reason: error.reason });
      throw error;
    }
    const key = createHash('sha256').update(`${proof.jkt}:${proof.jti}`).digest();
    if (!(await this.replays.firstUse(key, proof.staleAt)))
      throw new InvalidDpopProofError('the DPoP proof was already used', { reason: 'replayed jti' });
    return proof.jkt;
  }

  private verify(proof: string, htu: string) {
    return verifyDpopProof(proof, {
      htm: 'POST',
      htu,
      algorithms: DPOP_SIGNING_ALGS,
      maxAgeSeconds: this.config.DPOP_PROOF_MAX_AGE_SECONDS,
      maxFutureSeconds: this.config.DPOP_PROOF_MAX_FUTURE_SECONDS,
    });
  }

  private prune(): Promise<void> {
    return this.replays.purgeStale(Math.floor(Date.now() / 1000));
  }
}
