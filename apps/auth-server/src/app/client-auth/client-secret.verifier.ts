import { Injectable } from '@nestjs/common';
import type { RegisteredClient } from '../clients/client';
import { SecretHasher } from './secret-hasher';
import { SecretVerificationCache } from './secret-verification-cache';
import type { ClientAuthMethod, ClientOnFile, PresentedCredentials } from './client-auth-method';

/**
 * What `client_secret_basic` and `client_secret_post` share once they have read the secret: the
 * argon2id check against the stored hash, the verification cache in front of it (ADR 0001), and
 * the dummy check for unknown ids. The two methods differ only in where the secret is read from.
 */
@Injectable()
export abstract class ClientSecretMethod implements ClientAuthMethod {
  abstract readonly name: ClientAuthMethod['name'];
  abstract present(request: Parameters<ClientAuthMethod['present']>[0]): PresentedCredentials | undefined;

  constructor(
    private readonly hasher: SecretHasher,
    private readonly cache: SecretVerificationCache,
  ) {}

  /**
   * True when `secret` is the client's current secret or, during a `rotate-secret --grace`
   * period, its previous one (two live secrets). A client without a secret (private_key_jwt
   * only) costs a dummy check, like an unknown id.
   */
  async verify({ credential: secret }: PresentedCredentials, onFile: ClientOnFile | undefined): Promise<boolean> {
    // Unknown ids and secret-less clients cost what wrong secrets cost.
    if (!onFile?.secretHash) return this.hasher.verifyDummy(secret);
    const { client, secretHash, previousSecretHash, previousSecretExpiresAt } = onFile;
    if (this.cache.isVerified(client.clientId, secret, client.secretVersion)) return true;
    if (await this.hasher.verify(secretHash, secret)) {
      this.cache.remember(client.clientId, secret, client.secretVersion, client);
      return true;
    }
    // The previous hash is checked only when the current one fails (a new secret costs one
    // check), and its cached verification ends with the grace period, not after the cache TTL.
    if (previousSecretHash && (await this.hasher.verify(previousSecretHash, secret))) {
      this.cache.remember(client.clientId, secret, client.secretVersion, client, previousSecretExpiresAt?.getTime() ?? Date.now());
      return true;
    }
    return false;
  }

  recentlyVerified({ clientId, credential }: PresentedCredentials): RegisteredClient | undefined {
    return clientId ? this.cache.verifiedClient(clientId, credential) : undefined;
  }

  verifiedBefore({ clientId, credential }: PresentedCredentials): boolean {
    return clientId ? this.cache.verifiedBefore(clientId, credential) : false;
  }

  forget(clientId: string): void {
    this.cache.forget(clientId);
  }
}
