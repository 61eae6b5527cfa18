import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ForbiddenAddressError, isPublicAddress, jwksUriFetch } from './jwks-uri-fetch';

describe('fetching a client’s jwks_uri, never from a private address unless configured', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false], // cloud metadata
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false], // IPv4-mapped loopback
    ['not an address', false],
    ['93.184.215.14', true],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', true],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  describe('against a real loopback server', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    const get = (fetch: ReturnType<typeof jwksUriFetch>, target: string) =>
      fetch(target, { headers: new Headers({ accept: 'application/json' }), signal: AbortSignal.timeout(2000) });

    it('refuses loopback by default (literal address and by name), and plain http', async () => {
      const fetch = jwksUriFetch(false);
      await expect(get(fetch, url)).rejects.toBeInstanceOf(ForbiddenAddressError);
      await expect(get(fetch, url.replace('http:', 'https:'))).rejects.toBeInstanceOf(ForbiddenAddressError);
      await expect(get(fetch, url.replace('http://127.0.0.1', 'https://localhost'))).rejects.toThrow(/no public address/);
    });

    it('fetches from loopback when configured to (JWKS_URI_ALLOW_PRIVATE_ADDRESSES)', async () => {
      const response = await get(jwksUriFetch(true), url.replace('127.0.0.1', 'localhost'));
      expect(response.status).toBe(200);
      await expect(response.json()).resolves.toEqual({ keys: [] });
    });
  });
});
