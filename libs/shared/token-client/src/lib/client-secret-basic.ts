/**
 * RFC 6749 §2.3.1 client_secret_basic: the client id and secret are each encoded with
 * application/x-www-form-urlencoded *before* being joined with ":" and base64-encoded, so a
 * secret containing ":" or "%" survives the round trip. (Plain `btoa(id:secret)` breaks
 * such secrets on a compliant server.)
 */
export function clientSecretBasic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`, 'utf8').toString('base64')}`;
}

/** application/x-www-form-urlencoded encoding of one value (space → "+"). */
export function formUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
