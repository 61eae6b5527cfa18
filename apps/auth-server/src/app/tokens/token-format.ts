import type { RegisteredClient, TokenFormatName } from '../clients/client';

export interface IssueContext {
  client: RegisteredClient;
  /** Granted scope, space-delimited. */
  scope: string;
  jti: string;
  /** Unix seconds. */
  iat: number;
  exp: number;
  /** RFC 8707 resources the token is meant for; undefined: the client itself. */
  audience?: string[];
  /** RFC 9449 thumbprint the token is bound to. */
  jkt?: string;
}

/** What gets stored about a token: never the token itself. */
export interface TokenRecordKey {
  jti: string;
  format: TokenFormatName;
  tokenHash: Buffer | null;
  kid: string | null;
  audience: string[] | null;
  cnfJkt: string | null;
}

export interface GeneratedToken {
  accessToken: string;
  record: TokenRecordKey;
}

/** How a presented token is looked up in storage. */
export type TokenLookup = { jti: string } | { tokenHash: Buffer };

/**
 * One token format (self-contained JWT or reference/opaque), chosen per client. Both are
 * recorded, so introspection and revocation work the same for either.
 */
export interface TokenFormat {
  readonly name: TokenFormatName;
  generate(context: IssueContext): Promise<GeneratedToken>;
  /** The storage key of a presented token, if it has this format and is genuine; never throws. */
  identify(token: string): Promise<TokenLookup | undefined>;
}

export const TOKEN_FORMAT_LIST = Symbol('TOKEN_FORMAT_LIST');
