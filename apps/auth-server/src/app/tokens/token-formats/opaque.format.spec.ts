import { createHash } from 'node:crypto';
import { aClient } from '../../testing/fixtures';
import { OpaqueTokenFormat } from './opaque.format';

describe('opaque token format', () => {
  const format = new OpaqueTokenFormat();
  const context = { client: aClient(), scope: 'country.read', jti: 'j-1', iat: 1000, exp: 2000 };

  it('makes 256-bit random base64url tokens and records only their SHA-256', async () => {
    const { accessToken, record } = await format.generate(context);
    expect(accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(accessToken, 'base64url')).toHaveLength(32);
    expect(record).toEqual({
      jti: 'j-1',
      format: 'opaque',
      tokenHash: createHash('sha256').update(accessToken).digest(),
      kid: null,
      audience: null,
      cnfJkt: null,
    });
    expect(JSON.stringify(record)).not.toContain(accessToken);
  });

  it('never repeats a token', async () => {
    const tokens = new Set(await Promise.all(Array.from({ length: 200 }, async () => (await format.generate(context)).accessToken)));
    expect(tokens.size).toBe(200);
  });

  it('identifies a token of its shape by hash, and nothing else', async () => {
    const { accessToken, record } = await format.generate(context);
    expect(await format.identify(accessToken)).toEqual({ tokenHash: record.tokenHash });
    expect(await format.identify('a.b.c')).toBeUndefined();
    expect(await format.identify(`${accessToken}x`)).toBeUndefined();
  });
});
