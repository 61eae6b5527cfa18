import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Country } from './country.entity';

export interface CountryView {
  code: string;
  name: string;
}

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

  constructor(@InjectRepository(Country) private readonly countries: Repository<Country>) {}

  async onModuleInit(): Promise<void> {
    const rows = await this.countries.find({ order: { code: 'ASC' } });
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
