import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientCredentialsTokenManager, TransientHttpError, describeError, withRetry } from '@playground/token-client';
import { z } from 'zod';
import { ARCHIVAL_CONFIG, type ArchivalConfig } from '../config';

const countryPage = z.object({
  items: z.array(z.object({ code: z.string().min(1), name: z.string().min(1) })),
  page: z.number().int(),
  size: z.number().int(),
  total: z.number().int().min(0),
});

export interface Country {
  code: string;
  name: string;
}

/** ms-system answered something that retrying cannot fix (4xx, a malformed body). */
export class CountrySourceError extends Error {}

/**
 * Reads every country from ms-system (`GET /country?page=N&size=100`, scope country.read) with
 * the service's own token. Each page is retried on network errors and 5xx with backoff and
 * jitter; a token problem (auth-server down, credentials rejected) is not retried here again,
 * the token manager already did.
 */
@Injectable()
export class MsSystemCountriesClient {
  private readonly logger = new Logger('MsSystemCountries');

  constructor(
    private readonly tokens: ClientCredentialsTokenManager,
    @Inject(ARCHIVAL_CONFIG) private readonly config: ArchivalConfig,
  ) {}

  async fetchAll(): Promise<Country[]> {
    const byCode = new Map<string, Country>();
    let total = 0;
    for (let page = 1; ; page++) {
      const body = await this.fetchPage(page);
      total = body.total;
      for (const item of body.items) byCode.set(item.code, { code: item.code, name: item.name });
      if (body.items.length === 0 || page * this.config.pageSize >= body.total) break;
      if (page >= 10_000) throw new CountrySourceError('ms-system pagination does not end');
    }
    if (byCode.size !== total) this.logger.warn(`ms-system reported ${total} countries, read ${byCode.size}`);
    return Array.from(byCode.values());
  }

  private fetchPage(page: number): Promise<z.infer<typeof countryPage>> {
    const path = `/country?page=${page}&size=${this.config.pageSize}`;
    return withRetry(
      async () => {
        const response = await this.tokens.authorizedFetch(`${this.config.msSystemUrl}${path}`, {
          headers: { accept: 'application/json' },
          signal: AbortSignal.timeout(this.config.httpTimeoutMs),
        });
        if (response.status >= 500 || response.status === 429) {
          await response.body?.cancel().catch(() => undefined);
          throw new TransientHttpError(`ms-system answered HTTP ${response.status} to GET ${path}`, response.status);
        }
        const json: unknown = await response.json().catch(() => undefined);
        if (!response.ok) {
          const code = (json as { error?: unknown } | undefined)?.error;
          throw new CountrySourceError(
            `ms-system answered HTTP ${response.status} to GET ${path}${typeof code === 'string' ? ` (${code})` : ''}`,
          );
        }
        const parsed = countryPage.safeParse(json);
        if (!parsed.success) throw new CountrySourceError(`ms-system answered GET ${path} with an unexpected body`);
        return parsed.data;
      },
      this.config.retry,
      {
        onRetry: (error, failed) =>
          this.logger.warn(`GET ${path} attempt ${failed} of ${this.config.retry.attempts} failed (${describeError(error)}); retrying`),
        onGiveUp: (error, attempts) =>
          new CountrySourceError(`ms-system unavailable after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describeError(error)}`),
      },
    );
  }
}
