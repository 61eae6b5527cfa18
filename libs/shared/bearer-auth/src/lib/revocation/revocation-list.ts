import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BEARER_AUTH_OPTIONS, type ResolvedBearerAuthOptions } from '../bearer-auth.options';
import { AuthorizationServerClient } from '../metadata/authorization-server.client';
import { oauthTelemetry } from '@playground/telemetry';

/**
 * The jtis the authorization server has revoked, learned by polling its revocations feed
 * (`GET /oauth2/revocations?after=<cursor>`, ADR 0003). Each jti is kept until its token's own
 * `exp` (plus the clock leeway), after which the token is refused anyway; so the set is bounded
 * by the number of revoked-but-unexpired tokens.
 *
 * Not polled in pure `jwt` mode: there, a revoked JWT stays valid until it expires.
 */
@Injectable()
export class RevocationList implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BearerAuth');
  private readonly revoked = new Map<string, number>();
  private cursor?: string;
  private lastSyncAt = 0;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private failing = false;

  constructor(
    @Inject(BEARER_AUTH_OPTIONS) private readonly options: ResolvedBearerAuthOptions,
    private readonly authServer: AuthorizationServerClient,
  ) {}

  get enabled(): boolean {
    return this.options.mode !== 'jwt';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    // The first poll runs now but is not awaited: the app starts even if the auth-server is down.
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.revocation.pollIntervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  isRevoked(jti: string): boolean {
    const exp = this.revoked.get(jti);
    return exp !== undefined && exp + this.options.jwt.clockToleranceSeconds > nowSeconds();
  }

  /** True while the list is recent enough to honour the revocation window. */
  isFresh(): boolean {
    return this.enabled && Date.now() - this.lastSyncAt <= this.options.revocation.windowSeconds * 1000;
  }

  get size(): number {
    return this.revoked.size;
  }

  /** One poll of the feed; concurrent calls share it. Never throws. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    try {
      // Drain: a busy feed may answer in pages; stop when the cursor stops moving.
      for (let page = 0; page < 100; page++) {
        const { revocations, cursor } = await this.authServer.revocations(this.cursor);
        for (const { jti, exp } of revocations) {
          if (typeof jti === 'string' && typeof exp === 'number') this.revoked.set(jti, exp);
        }
        const moved = cursor !== this.cursor;
        this.cursor = cursor;
        if (!moved || revocations.length === 0) break;
      }
      this.lastSyncAt = Date.now();
      oauthTelemetry.revocationFeedSynced(this.lastSyncAt);
      this.prune();
      if (this.failing) this.logger.log('revocations feed reachable again');
      this.failing = false;
    } catch (error) {
      // Logged once per outage, not every few seconds.
      if (!this.failing) this.logger.warn(`revocations feed unavailable: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  private prune(): void {
    const horizon = nowSeconds() - this.options.jwt.clockToleranceSeconds;
    for (const [jti, exp] of this.revoked) if (exp < horizon) this.revoked.delete(jti);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
