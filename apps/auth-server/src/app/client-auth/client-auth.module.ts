import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { PostgresAssertionReplayRepository } from './assertion-replay.repository';
import { ASSERTION_REPLAY_REPOSITORY } from './assertion-replay.repository.port';
import { CLIENT_AUTH_METHOD_LIST } from './client-auth-method';
import { ClientSecretsModule } from './client-secrets.module';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientKeySets } from './client-key-sets';
import { ClientSecretBasicMethod } from './client-secret-basic.method';
import { ClientSecretPostMethod } from './client-secret-post.method';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { PrivateKeyJwtMethod } from './private-key-jwt.method';

/** Client authentication for every endpoint: one provider per method, one authenticator. */
@Module({
  imports: [ClientsModule, ClientSecretsModule],
  providers: [
    ClientSecretBasicMethod,
    ClientSecretPostMethod,
    PrivateKeyJwtMethod,
    ClientKeySets,
    { provide: ASSERTION_REPLAY_REPOSITORY, useClass: PostgresAssertionReplayRepository },
    {
      provide: CLIENT_AUTH_METHOD_LIST,
      useFactory: (basic: ClientSecretBasicMethod, post: ClientSecretPostMethod, privateKeyJwt: PrivateKeyJwtMethod) => [
        basic,
        post,
        privateKeyJwt,
      ],
      inject: [ClientSecretBasicMethod, ClientSecretPostMethod, PrivateKeyJwtMethod],
    },
    ClientAuthenticator,
    FailedAuthThrottle,
  ],
  exports: [ClientAuthenticator],
})
export class ClientAuthModule {}
