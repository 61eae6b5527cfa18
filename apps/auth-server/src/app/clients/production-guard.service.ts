import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { ClientSeeder } from './client-seeder.service';

/**
 * In production (`NODE_ENV=production`) the server refuses to start while a seeded client still
 * accepts the secret published in the README, or the key pair published in docs/keys: anyone
 * could mint tokens with it. (The published key-encryption key is refused by the config schema.)
 */
@Injectable()
export class ProductionSecretsGuard implements OnApplicationBootstrap {
  constructor(
    private readonly seeder: ClientSeeder,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.NODE_ENV !== 'production') return;
    const weak = await this.seeder.clientsWithDevSecrets();
    if (weak.length) {
      throw new Error(
        `refusing to start in production: the seeded client(s) ${weak.join(', ')} still accept the playground's ` +
          `published dev-default secret or key. Rotate them (npm run clients -- rotate-secret <client_id>; for ` +
          `service-client-pkjwt: set-keys service-client-pkjwt --jwks <file>) or disable them ` +
          `(npm run clients -- disable <client_id>), and set ARCHIVAL_CLIENT_SECRET before the first start.`,
      );
    }
  }
}
