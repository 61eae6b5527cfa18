import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { CLIENT_AUTH_METHOD_LIST } from './client-auth-method';
import { ClientSecretsModule } from './client-secrets.module';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientSecretBasicMethod } from './client-secret-basic.method';
import { ClientSecretPostMethod } from './client-secret-post.method';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { SourceAddressMiddleware } from './source-address';

/** Client authentication for every endpoint: one provider per method, one authenticator. */
@Module({
  imports: [ClientsModule, ClientSecretsModule],
  providers: [
    ClientSecretBasicMethod,
    ClientSecretPostMethod,
    {
      provide: CLIENT_AUTH_METHOD_LIST,
      useFactory: (basic: ClientSecretBasicMethod, post: ClientSecretPostMethod) => [basic, post],
      inject: [ClientSecretBasicMethod, ClientSecretPostMethod],
    },
    ClientAuthenticator,
    FailedAuthThrottle,
  ],
  exports: [ClientAuthenticator],
})
export class ClientAuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The throttle keys on the source address; only the OAuth endpoints authenticate clients.
    consumer.apply(SourceAddressMiddleware).forRoutes('oauth2/{*path}');
  }
}
