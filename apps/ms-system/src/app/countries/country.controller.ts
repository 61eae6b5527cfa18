import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOAuth2,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RequireScopes } from '@playground/bearer-auth';
import { CountryCatalog, type CountryPage, type CountryView } from './country-catalog.service';
import { countryCodeSchema, countryPageQuerySchema, MAX_PAGE_SIZE, type CountryPageQuery } from './country.dto';
import { ZodValidationPipe } from './zod-validation.pipe';

const countrySchema = {
  type: 'object',
  properties: { code: { type: 'string', example: 'AUS' }, name: { type: 'string', example: 'AUSTRALIA' } },
};

@ApiTags('country')
@ApiBearerAuth()
@ApiOAuth2(['country.read'], 'oauth2')
@ApiUnauthorizedResponse({
  description: 'No token (`WWW-Authenticate: Bearer`), or an invalid, expired or revoked one (`error="invalid_token"`)',
})
@ApiForbiddenResponse({ description: 'The token lacks `country.read` (`error="insufficient_scope"`)' })
@Controller('country')
@RequireScopes('country.read')
export class CountryController {
  constructor(private readonly catalog: CountryCatalog) {}

  @Get('code/:code')
  @ApiOperation({ summary: 'One country by ISO 3166-1 alpha-3 code (case-insensitive)' })
  @ApiParam({ name: 'code', example: 'AUS' })
  @ApiOkResponse({ schema: countrySchema })
  byCode(@Param('code', new ZodValidationPipe(countryCodeSchema)) code: string): CountryView {
    const country = this.catalog.findByCode(code);
    if (!country) throw new NotFoundException('no country with this code');
    return country;
  }

  @Get()
  @ApiOperation({ summary: 'All countries, by code, one page at a time' })
  @ApiQuery({ name: 'page', required: false, example: 1, description: 'from 1' })
  @ApiQuery({ name: 'size', required: false, example: 20, description: `1..${MAX_PAGE_SIZE}, default 20` })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: countrySchema },
        page: { type: 'integer' },
        size: { type: 'integer' },
        total: { type: 'integer' },
      },
    },
  })
  list(@Query(new ZodValidationPipe(countryPageQuerySchema)) query: CountryPageQuery): CountryPage {
    return this.catalog.page(query.page, query.size);
  }
}
