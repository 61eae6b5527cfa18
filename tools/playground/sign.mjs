#!/usr/bin/env node
// What curl cannot do by itself in the "Beyond shared secrets" walkthrough: sign. Uses jose, the
// same library the apps use. Prints one JWT (or writes a key file) and nothing else, so it fits
// in $(…). Never prints a private key.
//
//   node tools/playground/sign.mjs assertion <client_id> <private-jwk-file> <issuer>
//       a private_key_jwt client assertion (RFC 7523 §2.2): iss = sub = client_id, aud = issuer,
//       exp in 60 s, a fresh jti (the server accepts each once)
//   node tools/playground/sign.mjs dpop-key <file>
//       a new ES256 key pair for DPoP, kept as a private JWK in <file> (mode 600)
//   node tools/playground/sign.mjs dpop <private-jwk-file> <METHOD> <url> [access_token]
//       a DPoP proof (RFC 9449 §4.2) for one request; with a token, its `ath`
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

const [command, ...args] = process.argv.slice(2);
const usage = () => {
  process.stderr.write(
    'usage: sign.mjs assertion <client_id> <key-file> <issuer> | dpop-key <file> | dpop <key-file> <METHOD> <url> [token]\n',
  );
  process.exit(2);
};
const readKey = (file) => JSON.parse(readFileSync(file, 'utf8'));
const publicPart = ({ d: _d, ...jwk }) => jwk;

if (command === 'assertion' && args.length === 3) {
  const [clientId, file, issuer] = args;
  const jwk = readKey(file);
  const alg = jwk.alg ?? 'ES256';
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', ...(jwk.kid ? { kid: jwk.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(await importJWK(jwk, alg));
  process.stdout.write(`${assertion}\n`);
} else if (command === 'dpop-key' && args.length === 1) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  writeFileSync(args[0], JSON.stringify({ ...(await exportJWK(privateKey)), alg: 'ES256' }), { mode: 0o600 });
} else if (command === 'dpop' && (args.length === 3 || args.length === 4)) {
  const [file, htm, url, token] = args;
  const jwk = readKey(file);
  const htu = new URL(url);
  htu.search = '';
  htu.hash = '';
  const proof = await new SignJWT({
    htm,
    htu: htu.toString(),
    ...(token ? { ath: createHash('sha256').update(token).digest('base64url') } : {}),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: jwk.alg ?? 'ES256', jwk: publicPart(jwk) })
    .setJti(randomUUID())
    .setIssuedAt()
    .sign(await importJWK(jwk, jwk.alg ?? 'ES256'));
  process.stdout.write(`${proof}\n`);
} else {
  usage();
}
