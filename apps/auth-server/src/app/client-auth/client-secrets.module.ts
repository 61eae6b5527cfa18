import { Module } from '@nestjs/common';
import { SecretHasher } from './secret-hasher';
import { SecretVerificationCache } from './secret-verification-cache';

/**
 * Client secrets: the argon2id hasher and the verification cache (ADR 0001). One instance each,
 * shared by client authentication (verifies) and client administration (hashes new secrets and
 * forgets cached verifications on rotation or disable).
 */
@Module({
  providers: [SecretHasher, SecretVerificationCache],
  exports: [SecretHasher, SecretVerificationCache],
})
export class ClientSecretsModule {}
