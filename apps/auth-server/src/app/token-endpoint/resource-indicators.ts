import { Injectable } from '@nestjs/common';
import { InvalidTargetError } from '@playground/oauth-contracts';
import type { RegisteredClient } from '../clients/client';
import { isResourceIndicator } from '../resources/resource-indicator';
import { ResourceRegistry } from '../resources/resource-registry';

/**
 * Token endpoint step: RFC 8707 resource indicators. Each requested `resource` must be an
 * absolute URI without fragment, registered here, and allowed for the client; otherwise 400
 * `invalid_target` (§2) and no token. The answer is the token's audience: the resources, or
 * undefined when none was asked for (the token's `aud` is then the client itself, as before).
 */
@Injectable()
export class ResourceIndicators {
  constructor(private readonly registry: ResourceRegistry) {}

  /** @throws InvalidTargetError */
  async audience(client: RegisteredClient, requested: string[]): Promise<string[] | undefined> {
    if (requested.length === 0) return undefined;
    if (requested.length > 10) throw new InvalidTargetError('too many resource parameters');
    const malformed = requested.find((resource) => !isResourceIndicator(resource));
    if (malformed !== undefined) {
      throw new InvalidTargetError('a resource must be an absolute URI without a fragment', {
        reason: `malformed resource (${malformed.length} chars)`,
      });
    }
    const registered = await this.registry.registered();
    const refused = requested.find(
      (resource) => !registered.has(resource) || (client.allowedResources !== null && !client.allowedResources.includes(resource)),
    );
    if (refused !== undefined) {
      throw new InvalidTargetError('the requested resource is unknown or not allowed for this client', {
        reason: `resource ${refused.slice(0, 200)} for ${client.clientId}`,
      });
    }
    return Array.from(new Set(requested));
  }
}
