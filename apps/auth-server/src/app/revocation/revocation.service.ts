import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { RegisteredClient } from '../clients/client';
import { requireParam } from '../http/form-parameters';
import { TOKEN_REPOSITORY, type TokenRepository } from '../tokens/token.repository.port';
import { TokenService } from '../tokens/token.service';

/**
 * RFC 7009 revocation for opaque tokens and JWTs. Only the client a token was issued to can
 * revoke it (§2.1); for anyone else, and for unknown or invalid tokens, nothing happens and the
 * answer is still 200 (§2.2), so the endpoint tells a caller nothing about other clients' tokens.
 */
@Injectable()
export class RevocationService {
  private readonly logger = new Logger(RevocationService.name);

  constructor(
    private readonly tokens: TokenService,
    @Inject(TOKEN_REPOSITORY) private readonly repository: TokenRepository,
    private readonly audit: AuditService,
  ) {}

  /** Revocation's own steps, after the shared form and caller authentication (ClientAuthenticator.run). */
  async revoke(caller: RegisteredClient, params: Record<string, string>): Promise<void> {
    const token = requireParam(params, 'token');
    // token_type_hint is only a hint (§2.1): every format is tried whatever it says.
    const stored = await this.tokens.find(token);
    if (!stored) return;
    if (stored.clientId !== caller.clientId) {
      this.logger.warn(`${caller.clientId} tried to revoke a token of another client (jti ${stored.jti})`);
      return;
    }
    if (await this.repository.revoke(stored.jti)) {
      await this.audit.record('token_revoked', caller.clientId, { jti: stored.jti, format: stored.format });
    }
  }
}
