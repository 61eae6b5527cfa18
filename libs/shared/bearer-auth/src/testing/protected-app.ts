import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import { createApp, loggerParams } from '@playground/http-kit';
import type { AuthenticatedClient } from '@playground/oauth-contracts';
import { BearerAuthModule } from '../lib/bearer-auth.module';
import type { BearerAuthOptions } from '../lib/bearer-auth.options';
import { CurrentClient, RequireScopes } from '../lib/guards/decorators';

@Controller('country')
class ProtectedController {
  @Get('code/AUS')
  @RequireScopes('country.read')
  country(@CurrentClient() client: AuthenticatedClient) {
    return { code: 'AUS', name: 'AUSTRALIA', client };
  }

  @Get('any')
  @RequireScopes()
  any(@CurrentClient() client: AuthenticatedClient) {
    return client;
  }

  @Get('open')
  open() {
    return { open: true };
  }
}

/** A resource server with one protected route, on the real http-kit stack, on a free port. */
export async function startProtectedApp(options: BearerAuthOptions): Promise<{ app: NestFastifyApplication; url: string }> {
  @Module({
    imports: [LoggerModule.forRoot(loggerParams('bearer-auth-spec', 'silent')), BearerAuthModule.forRoot(options)],
    controllers: [ProtectedController],
  })
  class SpecModule {}
  const app = await createApp(SpecModule as unknown as DynamicModule['module'], { basePath: '/rs', realm: 'spec' });
  await app.listen(0, '127.0.0.1');
  return { app, url: `${await app.getUrl()}/rs`.replace('[::1]', '127.0.0.1') };
}
