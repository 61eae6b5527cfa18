import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { CLIENT_REPOSITORY, type ClientRepository } from './client.repository.port';
import { ClientAdminService } from './client-admin.service';
import { SecretHasher } from '../client-auth/secret-hasher';
import { SERVICE_CLIENT_PKJWT_PUBLIC_JWK, seededClients } from './seeded-clients';

/**
 * Creates the contract's clients on start if they are missing, and never touches them after
 * that (a rotated secret or a disabled client stays so across restarts).
 */
@Injectable()
export class ClientSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClientSeeder.name);
  private seeding?: Promise<void>;

  constructor(
    private readonly admin: ClientAdminService,
    @Inject(CLIENT_REPOSITORY) private readonly clients: ClientRepository,
    private readonly hasher: SecretHasher,
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.seed();
  }

  seed(): Promise<void> {
    this.seeding ??= (async () => {
      for (const { client, secret } of seededClients(this.config)) {
        if (await this.admin.ensure(client, secret)) this.logger.log(`seeded client ${client.clientId}`);
      }
    })();
    return this.seeding;
  }

  /**
   * Seeded clients that are enabled and still accept their published dev-default secret, or
   * (service-client-pkjwt) still have the playground key pair whose private half is in the repo.
   */
  async clientsWithDevSecrets(): Promise<string[]> {
    await this.seed();
    const found: string[] = [];
    for (const { client, devSecret } of seededClients(this.config)) {
      const stored = await this.clients.findWithSecretHash(client.clientId);
      if (!stored?.client.enabled) continue;
      const devSecretWorks = devSecret !== null && stored.secretHash !== null && (await this.hasher.verify(stored.secretHash, devSecret));
      const playgroundKey = stored.client.jwks?.keys.some((key) => key['x'] === SERVICE_CLIENT_PKJWT_PUBLIC_JWK.x) ?? false;
      if (devSecretWorks || playgroundKey) found.push(client.clientId);
    }
    return found;
  }
}
