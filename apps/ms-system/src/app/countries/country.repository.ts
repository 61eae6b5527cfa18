import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Country } from './country.entity';
import type { CountryRepository, CountryView } from './country.repository.port';

/** The `countries` table (TypeORM adapter of CountryRepository). */
@Injectable()
export class TypeOrmCountryRepository implements CountryRepository {
  constructor(@InjectRepository(Country) private readonly countries: Repository<Country>) {}

  async all(): Promise<CountryView[]> {
    const rows = await this.countries.find({ order: { code: 'ASC' } });
    return rows.map((row) => ({ code: row.code, name: row.name }));
  }
}
