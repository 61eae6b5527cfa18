import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A JWK Set is small; anything bigger is not one (and must not fill memory). */
const MAX_JWKS_BYTES = 64 * 1024;

/** Thrown when a `jwks_uri` resolves to an address the server must not call. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
}

/**
 * True for a public unicast address; false for loopback, private (RFC 1918, fc00::/7),
 * link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT, multicast, reserved
 * and unspecified addresses. IPv4-mapped IPv6 addresses are judged as the IPv4 address they map.
 * The ranges are ipaddr.js's (a maintained table of the IANA special-purpose registries).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * A `lookup` for node:http that refuses non-public addresses. It runs at connect time, on the
 * address actually dialled, so a name that resolves to a public address when checked and to
 * 127.0.0.1 a moment later (DNS rebinding) is still refused.
 */
export function publicOnlyLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (!usable.length) {
        return callback(new ForbiddenAddressError(`${hostname} resolves to no public address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}

/**
 * The fetch that jose's `createRemoteJWKSet` uses for a client's `jwks_uri` (its `customFetch`
 * option): node:http(s) with `publicOnlyLookup`, no redirects (jose wants a 200), a body cap.
 * With `allowPrivate` (JWKS_URI_ALLOW_PRIVATE_ADDRESSES, for local tests) any address and plain
 * http are allowed; without it, https only.
 */
export function jwksUriFetch(allowPrivate: boolean) {
  const lookup = publicOnlyLookup(allowPrivate);
  return (url: string, options: { headers: Headers; signal: AbortSignal }): Promise<Response> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:' && !(allowPrivate && target.protocol === 'http:')) {
        return reject(new ForbiddenAddressError(`jwks_uri must use https`));
      }
      // A literal IP skips `lookup`, so it is judged here.
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) {
        return reject(new ForbiddenAddressError(`${host} is not a public address`));
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        { method: 'GET', headers: Object.fromEntries(options.headers), lookup, signal: options.signal },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_JWKS_BYTES) return req.destroy(new Error(`jwks_uri answered more than ${MAX_JWKS_BYTES} bytes`));
            chunks.push(chunk);
          });
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502, headers }));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
}
