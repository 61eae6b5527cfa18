import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountryCatalog } from './country-catalog.service';
import { CountryController } from './country.controller';
import { Country } from './country.entity';
import { TypeOrmCountryRepository } from './country.repository';
import { COUNTRY_REPOSITORY } from './country.repository.port';

@Module({
  imports: [TypeOrmModule.forFeature([Country])],
  providers: [{ provide: COUNTRY_REPOSITORY, useClass: TypeOrmCountryRepository }, CountryCatalog],
  controllers: [CountryController],
})
export class CountriesModule {}
