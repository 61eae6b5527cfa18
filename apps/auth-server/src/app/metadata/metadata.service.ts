import { Inject, Injectable } from '@nestjs/common';
import type { AuthorizationServerMetadata } from '@playground/oauth-contracts';
import { CLIENT_AUTH_METHODS } from '../clients/client';
import { CLIENT_REPOSITORY, type ClientRepository } from '../clients/client.repository.port';
import { AUTH_SERVER_CONFIG, type AuthServerConfig } from '../config';
import { ASSERTION_ALGS } from '../client-auth/client-assertion';
import { SIGNING_ALGS } from '../keys/signing-algorithms';
import { GrantRegistry } from '../token-endpoint/grants/grant-registry';

/** RFC 8414 §3: where the metadata of an issuer with a path component lives. */
export const WELL_KNOWN = '/.well-known/oauth-authorization-server';

/** RFC 8414 authorization server metadata, built from the issuer. */
@Injectable()
export class MetadataService {
  constructor(
    @Inject(AUTH_SERVER_CONFIG) private readonly config: AuthServerConfig,
    private readonly grants: GrantRegistry,
    @Inject(CLIENT_REPOSITORY) private readonly clients: ClientRepository,
  ) {}

  async metadata(): Promise<AuthorizationServerMetadata> {
    const issuer = this.config.ISSUER;
    const methods = [...CLIENT_AUTH_METHODS];
    // Assertions: the algorithms this server signs access tokens with (signing-algorithms.ts;
    // never none or an HMAC), plus Ed25519, RFC 9864's name for EdDSA, which current clients send.
    const assertionAlgs = [...ASSERTION_ALGS];
    const algs = [...SIGNING_ALGS];
    return {
      issuer,
      token_endpoint: `${issuer}/oauth2/token`,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      jwks_uri: `${issuer}/oauth2/jwks`,
      // RFC 8414 §2 makes it REQUIRED. Response types belong to the authorization endpoint,
      // which a client-credentials-only server does not have: it supports none. (Validators
      // such as Authlib's refuse a document without the member.)
      response_types_supported: [],
      grant_types_supported: this.grants.supported,
      token_endpoint_auth_methods_supported: methods,
      token_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      scopes_supported: await this.clients.registeredScopes(),
      introspection_endpoint_auth_methods_supported: methods,
      introspection_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      revocation_endpoint_auth_methods_supported: methods,
      revocation_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      // Not an RFC 8414 name (no RFC registers one for RFC 9068 access tokens); RFC 8414 §2
      // allows additional parameters. Resource servers accept exactly these (bearer-auth).
      access_token_signing_alg_values_supported: algs,
    };
  }

  /** Paths outside the global prefix: the RFC 8414 §3 path for this issuer (and the contract's). */
  rootPaths(basePath: string): string[] {
    const issuerPath = new URL(this.config.ISSUER).pathname.replace(/\/+$/, '');
    return Array.from(new Set([`${WELL_KNOWN}${issuerPath}`, `${WELL_KNOWN}${basePath}`]));
  }
}
