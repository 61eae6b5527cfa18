import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { COUNTRY_REPOSITORY, type CountryRepository, type CountryView } from './country.repository.port';

export type { CountryView };

export interface CountryPage {
  items: CountryView[];
  page: number;
  size: number;
  total: number;
}

/**
 * The country table, loaded once at boot and served from memory: it never changes at run time
 * (only migrations write it), so a database round trip per request would buy nothing.
 */
@Injectable()
export class CountryCatalog implements OnModuleInit {
  private readonly logger = new Logger('CountryCatalog');
  private byCode = new Map<string, CountryView>();
  private ordered: readonly CountryView[] = [];

  constructor(@Inject(COUNTRY_REPOSITORY) private readonly countries: CountryRepository) {}

  async onModuleInit(): Promise<void> {
    const rows = await this.countries.all();
    // Plain frozen objects with exactly the two public fields, in a fixed order.
    this.ordered = Object.freeze(rows.map((row) => Object.freeze({ code: row.code, name: row.name })));
    this.byCode = new Map(this.ordered.map((country) => [country.code, country]));
    this.logger.log(`${this.ordered.length} countries loaded`);
  }

  /** `code` is matched case-insensitively. */
  findByCode(code: string): CountryView | undefined {
    return this.byCode.get(code.toUpperCase());
  }

  /** Pages start at 1; a page past the end is empty. Ordered by code. */
  page(page: number, size: number): CountryPage {
    const start = (page - 1) * size;
    return { items: this.ordered.slice(start, start + size), page, size, total: this.ordered.length };
  }
}
