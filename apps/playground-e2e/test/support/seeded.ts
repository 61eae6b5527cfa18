/** The seeded secret clients (docs/contract.md, "Seeded clients") and their token formats. */
export const CLIENTS = {
  'user-client-opaque': { secret: 'user-client-secret', format: 'opaque' },
  'service-client-jwt': { secret: 'service-client-jwt-secret', format: 'jwt' },
} as const;
export type ClientId = keyof typeof CLIENTS;

/** The contract's revocation window at ms-system (docs/contract.md: 10 s by default). */
export const REVOCATION_WINDOW_MS = 10_000;

/** `Authorization: Basic` as RFC 6749 §2.3.1 wants it: id and secret form-urlencoded first. */
export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
