import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountryCatalog } from './country-catalog.service';
import { CountryController } from './country.controller';
import { Country } from './country.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Country])],
  providers: [CountryCatalog],
  controllers: [CountryController],
})
export class CountriesModule {}
