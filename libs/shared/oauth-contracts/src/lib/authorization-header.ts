/**
 * `Authorization: <scheme> 1*SP <credentials>` (RFC 9110 §11.4, RFC 6750 §2.1, RFC 7617 §2,
 * RFC 9449 §7.1): the scheme is case-insensitive and one *or more* spaces separate it from the
 * credentials. Every reader of the header (Basic, Bearer, DPoP) goes through here, so the rule is
 * written once. Returns undefined for an empty header or one without credentials; `credentials`
 * is whatever follows the spaces, trailing whitespace removed (a token68 has no inner spaces,
 * so anything that still contains one is for the caller to refuse).
 */
export function parseAuthorizationHeader(value: string | string[] | undefined): { scheme: string; credentials: string } | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (!header) return undefined;
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S.*?)\s*$/.exec(header);
  if (!match) return undefined;
  return { scheme: match[1], credentials: match[2] };
}
