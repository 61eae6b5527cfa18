import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { GeneratedToken, IssueContext, TokenFormat, TokenLookup } from '../token-format';

/** 256 bits from the CSPRNG: unguessable, so a plain (unsalted, fast) hash is enough to store it. */
const TOKEN_BYTES = 32;
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Reference tokens: random bytes, base64url, meaningless to the holder. Only SHA-256 of the token
 * is stored, so a database dump yields no usable token; lookups compare hashes by an index, which
 * leaks no timing about the token itself.
 */
@Injectable()
export class OpaqueTokenFormat implements TokenFormat {
  readonly name = 'opaque' as const;

  async generate(context: IssueContext): Promise<GeneratedToken> {
    const accessToken = randomBytes(TOKEN_BYTES).toString('base64url');
    return {
      accessToken,
      record: {
        jti: context.jti,
        format: this.name,
        tokenHash: sha256(accessToken),
        kid: null,
        audience: context.audience ?? null,
        cnfJkt: context.jkt ?? null,
      },
    };
  }

  async identify(token: string): Promise<TokenLookup | undefined> {
    return OPAQUE_TOKEN.test(token) ? { tokenHash: sha256(token) } : undefined;
  }
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
