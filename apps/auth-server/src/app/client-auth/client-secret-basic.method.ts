import { Injectable } from '@nestjs/common';
import { InvalidClientError } from '@playground/oauth-contracts';
import type { ClientAuthRequest, PresentedCredentials } from './client-auth-method';
import { ClientSecretMethod } from './client-secret.verifier';

/**
 * `client_secret_basic`: HTTP Basic with the client id and secret, each form-urlencoded
 * (`application/x-www-form-urlencoded`) before Basic encoding — RFC 6749 §2.3.1 — so they are
 * form-urldecoded here (`+` is a space, `%3A` a colon). A malformed header is a failed Basic
 * login: 401 with a Basic challenge.
 */
@Injectable()
export class ClientSecretBasicMethod extends ClientSecretMethod {
  readonly name = 'client_secret_basic' as const;

  present(request: ClientAuthRequest): PresentedCredentials | undefined {
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) return undefined;
    const match = /^basic[ ]+(\S*)\s*$/i.exec(value);
    if (!match) return undefined; // another scheme: not this method
    const fail = (reason: string) => new InvalidClientError({ basicChallenge: true, reason });
    const encoded = match[1];
    if (!/^[A-Za-z0-9+/]+=*$/.test(encoded)) throw fail('Basic credentials are not base64');
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw fail('Basic credentials have no colon');
    try {
      const clientId = formUrlDecode(decoded.slice(0, colon));
      const secret = formUrlDecode(decoded.slice(colon + 1));
      if (!clientId) throw fail('Basic credentials have an empty client id');
      return { method: this.name, clientId, credential: secret };
    } catch (error) {
      if (error instanceof InvalidClientError) throw error;
      throw fail('Basic credentials are not form-urlencoded');
    }
  }
}

/** `application/x-www-form-urlencoded` decoding of one value. Throws URIError on bad escapes. */
export function formUrlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
