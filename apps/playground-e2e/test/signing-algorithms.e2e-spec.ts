// Signing algorithms and private_key_jwt across the real apps: clients registered with the admin
// CLI (a process, as `npm run clients -- …` runs it) get JWTs signed RS256, PS256, ES256 or EdDSA,
// and ms-system — validating locally with the JWKS, `TOKEN_VALIDATION_MODE=jwt` — accepts each,
// because each is in the metadata's `access_token_signing_alg_values_supported`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createPlayground, type Playground } from './support/playground';

const root = resolve(__dirname, '../../..');
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

describe('per-client signing algorithms and private_key_jwt, end to end', () => {
  let playground: Playground;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'algs-'));
    playground = await createPlayground();
    await playground.start('auth-server');
    await playground.start('ms-system', { TOKEN_VALIDATION_MODE: 'jwt' });
  }, 90_000);

  afterAll(async () => {
    await playground?.close();
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  /** The admin CLI, as a process, on the playground's database. */
  const clients = async (...args: string[]) =>
    (
      await promisify(execFile)(process.execPath, [resolve(root, 'dist/apps/auth-server/cli.js'), ...args], {
        env: { ...process.env, DATABASE_URL: playground.db.url, ISSUER: playground.url('auth-server'), LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      })
    ).stdout;

  const token = async (body: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${playground.url('auth-server')}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...body }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };

  const countryWith = async (accessToken: string) => {
    const response = await fetch(`${playground.url('ms-system')}/country/code/AUS`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return { status: response.status, body: await response.json() };
  };

  it.each(['RS256', 'PS256', 'ES256', 'EdDSA'])(
    'a client created with --alg %s gets JWTs signed with that algorithm, and ms-system accepts them',
    async (alg) => {
      const id = `algs-${alg.toLowerCase()}`;
      const output = await clients('create', id, '--format', 'jwt', '--alg', alg, '--scope', 'country.read');
      expect(output).toContain(`format: jwt (${alg})`);
      const secret = /client_secret: (\S+)/.exec(output)?.[1] ?? '';
      const jwt = await token({ client_id: id, client_secret: secret });
      expect(decodeProtectedHeader(jwt).alg).toBe(alg);
      await expect(countryWith(jwt)).resolves.toEqual({ status: 200, body: { code: 'AUS', name: 'AUSTRALIA' } });
    },
  );

  it('npm run clients -- create --auth private_key_jwt --jwks <file>: no secret printed, assertions work once, ms-system accepts the token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const file = join(scratch, 'signer.jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'signer-1', use: 'sig', alg: 'EdDSA' }] }));
    const output = await clients(
      'create',
      'signer',
      '--auth',
      'private_key_jwt',
      '--jwks',
      file,
      '--format',
      'jwt',
      '--alg',
      'ES256',
      '--scope',
      'country.read',
    );
    expect(output).not.toMatch(/client_secret:/);
    expect(output).toMatch(/No secret/);

    const issuer = playground.url('auth-server');
    const assertion = await new SignJWT({ jti: `signer-${Date.now()}` })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'signer-1' })
      .setIssuer('signer')
      .setSubject('signer')
      .setAudience(issuer)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(privateKey);
    const jwt = await token({ client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(decodeProtectedHeader(jwt).alg).toBe('ES256');
    await expect(countryWith(jwt)).resolves.toEqual({ status: 200, body: { code: 'AUS', name: 'AUSTRALIA' } });

    const replay = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
    });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('the CLI refuses a JWK Set holding a private key, and says why', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const file = join(scratch, 'leaky.jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [await exportJWK(privateKey)] }));
    const error = await clients('create', 'leaky', '--auth', 'private_key_jwt', '--jwks', file).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect(error).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/private or symmetric key material \(d\) refused; register public keys only/),
    });
  });
});
