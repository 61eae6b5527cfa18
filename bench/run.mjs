#!/usr/bin/env node
// `npm run bench [-- --quick]`: what each design costs, measured side by side in one run.
//
// Starts, each in its own process on loopback: the playground (production build, embedded
// PostgreSQL), a bare Fastify route (the Node ceiling) and panva's oidc-provider (a mature peer),
// then drives each with autocannon and prints one table of req/s, p50, p99 and errors, with each
// figure's ratio to its reference from the same run. Writes bench/results/{latest|quick}.{json,svg}.
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureFlood } from './lib/flood.mjs';
import { measure } from './lib/load.mjs';
import { buildApps, freePort, startProcess } from './lib/processes.mjs';
import { printTable, updateReadme, writeResults } from './lib/report.mjs';
import { startPlayground } from './lib/playground.mjs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createHash } from 'node:crypto';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const load = quick
  ? { connections: 20, duration: 2, warmup: 1 }
  : { connections: 50, duration: Number(process.env.BENCH_DURATION ?? 10), warmup: 3 };
const log = (line) => process.stderr.write(`${line}\n`);

const basic = (id, secret) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function postForm(url, authorization, body) {
  const response = await fetch(url, { method: 'POST', headers: { ...form, authorization }, body });
  const json = await response.json();
  if (!response.ok) throw new Error(`${url} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Fails the bench if the two endpoints do not answer the same body: ratios must compare like with like. */
async function assertSameBody(a, b, headersA = {}, headersB = {}) {
  const [x, y] = await Promise.all([
    fetch(a, { headers: headersA }).then((r) => r.text()),
    fetch(b, { headers: headersB }).then((r) => r.text()),
  ]);
  if (x !== y) throw new Error(`bench honesty check failed: ${a} answered ${x} but ${b} answered ${y}`);
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Single-use client assertions (RFC 7523), signed ahead of the run so that signing them does not
 * compete for the CPU with the server being measured. Each is one token request's form body.
 */
async function assertionPool(clientId, audience, privateKey, kid, size) {
  const sign = () =>
    new SignJWT({ iss: clientId, sub: clientId, aud: audience, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  const toBody = (assertion) =>
    `grant_type=client_credentials&scope=country.read&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertion}`;
  return singleUsePool(
    async () => toBody(await sign()),
    size,
    (req, body) => {
      req.body = body;
      return req;
    },
  );
}

/** One DPoP proof (RFC 9449 §4.2): `ath` when it goes with an access token. */
const publicJwks = new WeakMap();
async function signProof(dpopKey, htm, htu, accessToken) {
  if (!publicJwks.has(dpopKey)) publicJwks.set(dpopKey, await exportJWK(dpopKey.publicKey));
  const jwk = publicJwks.get(dpopKey);
  const ath = accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {};
  return new SignJWT({ htm, htu, ...ath })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
    .setJti(randomUUID())
    .setIssuedAt()
    .sign(dpopKey.privateKey);
}

/**
 * Single-use DPoP proofs (RFC 9449) for one method and URL (and token, for `ath`), signed ahead of
 * the case like the assertions: a proof is accepted once and only within 60 s, so the pool is
 * signed right before its case and sized to outlast it. Each goes in one request's `DPoP` header.
 */
async function proofPool(dpopKey, htm, htu, accessToken, size) {
  const sign = () => signProof(dpopKey, htm, htu, accessToken);
  return singleUsePool(sign, size, (req, proof) => {
    req.headers = { ...req.headers, dpop: proof };
    return req;
  });
}

/**
 * The autocannon `requests` for `size` single-use values (assertions, proofs) signed ahead by
 * `sign`, 1000 at a time: each request pops one and `apply(req, value)` puts it on the request.
 * A dry pool must not turn into replays (401s that would look like slowness): `apply` then gets
 * an empty string, which fails loudly, and `signedLate` counts it so main() refuses the figures.
 */
async function singleUsePool(sign, size, apply) {
  const pool = [];
  for (let i = 0; i < size; i += 1000) pool.push(...(await Promise.all(Array.from({ length: Math.min(1000, size - i) }, sign))));
  let signedLate = 0;
  return {
    requests: [
      {
        setupRequest: (req) => {
          const value = pool.pop();
          if (value === undefined) signedLate++;
          return apply(req, value ?? '');
        },
      },
    ],
    get signedLate() {
      return signedLate;
    },
  };
}

async function main() {
  log(`bench (${quick ? 'quick' : 'full'}): ${load.connections} connections, ${load.duration} s per case after ${load.warmup} s warm-up`);
  log('building the apps (production)…');
  buildApps(root);

  const stops = [];
  try {
    log('starting references and the playground…');
    const barePort = await freePort();
    const bare = await startProcess('bare-fastify', [join(root, 'bench/lib/bare-fastify.mjs'), String(barePort)], {
      readyUrl: `http://127.0.0.1:${barePort}/ms-system/country/code/AUS`,
    });
    stops.push(bare);
    // The bench's own private_key_jwt key pair: production refuses the published playground one.
    const pkjwt = await generateKeyPair('ES256', { extractable: true });
    const pkjwtPublicJwk = { ...(await exportJWK(pkjwt.publicKey)), kid: 'bench-pkjwt', alg: 'ES256', use: 'sig' };
    const peerPort = await freePort();
    const peer = await startProcess(
      'oidc-provider',
      [join(root, 'bench/lib/oidc-peer.mjs'), String(peerPort), JSON.stringify(pkjwtPublicJwk)],
      {
        readyUrl: `http://127.0.0.1:${peerPort}/.well-known/openid-configuration`,
      },
    );
    stops.push(peer);
    const playground = await startPlayground({ root, log, pkjwtPublicJwk });
    stops.push(playground);

    const peerToken = `http://127.0.0.1:${peerPort}/token`;
    const peerIntrospect = `http://127.0.0.1:${peerPort}/token/introspection`;
    const tokenBody = 'grant_type=client_credentials&scope=country.read';
    const { clients, urls } = playground;
    const rows = [];
    const tokenReferences = {};
    const run = (spec) => measure({ ...load, ...spec });
    /** A row of ours in the table, beside its reference from the same run (and its target, if any). */
    const compare = (row, reference, target) => rows.push({ ...row, reference, ratio: row.rps / reference.rps, target });

    // The cases run against one instance and again against two behind a front (`prefix`), with
    // the same references and targets.
    const TOKEN_TARGETS = { opaque: 1.0, jwt: 1.2 };
    const INTROSPECTION_TARGET = 1.1;
    const RESOURCE_TARGET = 0.6;
    const tokenCase = (prefix, tokenUrl, format) =>
      run({
        title: `${prefix}token endpoint (${format}, persisted)`,
        url: tokenUrl,
        method: 'POST',
        headers: { ...form, authorization: basic(clients[format].id, clients[format].secret) },
        body: tokenBody,
      });
    const introspectionCase = (prefix, introspectUrl, opaqueToken) =>
      run({
        title: `${prefix}introspection (opaque)`,
        url: introspectUrl,
        method: 'POST',
        headers: { ...form, authorization: basic(clients.introspector.id, clients.introspector.secret) },
        body: `token=${opaqueToken}`,
      });
    const resourceCase = (prefix, what, countryUrl, token) =>
      run({ title: `${prefix}GET country, ${what}`, url: countryUrl, headers: { authorization: `Bearer ${token}` } });

    // Token endpoint, client_secret_basic, per token format, against oidc-provider's in-memory endpoint.
    for (const format of ['opaque', 'jwt']) {
      const reference = await run({
        title: `oidc-provider token (${format})`,
        url: peerToken,
        method: 'POST',
        headers: { ...form, authorization: basic(`peer-${format}`, `peer-${format}-secret`) },
        body: tokenBody,
      });
      tokenReferences[format] = reference;
      compare(await tokenCase('', urls.token, format), reference, TOKEN_TARGETS[format]);
    }

    // JWT issuance signed ES256 and EdDSA (client_secret_basic), against oidc-provider signing the same.
    for (const [alg, ours] of [
      ['ES256', clients.es256],
      ['EdDSA', clients.eddsa],
    ]) {
      const peerClient = `peer-jwt-${alg.toLowerCase()}`;
      const reference = await run({
        title: `oidc-provider token (jwt ${alg})`,
        url: peerToken,
        method: 'POST',
        headers: { ...form, authorization: basic(peerClient, `${peerClient}-secret`) },
        body: tokenBody,
      });
      const row = await run({
        title: `token endpoint (jwt ${alg}, persisted)`,
        url: urls.token,
        method: 'POST',
        headers: { ...form, authorization: basic(ours.id, ours.secret) },
        body: tokenBody,
      });
      compare(row, reference, TOKEN_TARGETS.jwt);
    }

    // The token endpoint with private_key_jwt (an ES256 assertion per request, each used once,
    // ES256 JWT issued), against oidc-provider doing the same with its in-memory replay store.
    // Sized for ~6000 req/s over warm-up + run: far above what two cores reach here.
    const poolSize = (load.duration + load.warmup) * 6000;
    log(`signing ${2 * poolSize} single-use client assertions…`);
    const peerAssertions = await assertionPool('peer-pkjwt', `http://127.0.0.1:${peerPort}`, pkjwt.privateKey, 'bench-pkjwt', poolSize);
    const ourAssertions = await assertionPool(clients.pkjwt.id, playground.issuer, pkjwt.privateKey, 'bench-pkjwt', poolSize);
    const pkjwtReference = await run({
      title: 'oidc-provider token (private_key_jwt)',
      url: peerToken,
      method: 'POST',
      headers: form,
      requests: peerAssertions.requests,
    });
    const pkjwtRow = await run({
      title: 'token endpoint (private_key_jwt, jwt ES256)',
      url: urls.token,
      method: 'POST',
      headers: form,
      requests: ourAssertions.requests,
    });
    if (peerAssertions.signedLate || ourAssertions.signedLate) throw new Error('the client assertion pool ran dry: raise its size');
    compare(pkjwtRow, pkjwtReference, 1.0);

    // DPoP-bound token issuance (a proof per request, each used once, client_secret_basic, RS256
    // JWT with cnf.jkt), against oidc-provider binding its tokens the same way.
    const dpopKey = await generateKeyPair('ES256');
    const proofsFor = (htu, token) => proofPool(dpopKey, token ? 'GET' : 'POST', htu, token, poolSize);
    log(`signing ${poolSize} DPoP proofs for each DPoP case…`);
    const peerProofs = await proofsFor(peerToken);
    const dpopReference = await run({
      title: 'oidc-provider token (jwt, DPoP-bound)',
      url: peerToken,
      method: 'POST',
      headers: { ...form, authorization: basic('peer-jwt', 'peer-jwt-secret') },
      body: tokenBody,
      requests: peerProofs.requests,
    });
    const ourProofs = await proofsFor(urls.token);
    const dpopRow = await run({
      title: 'token endpoint (jwt, DPoP-bound)',
      url: urls.token,
      method: 'POST',
      headers: { ...form, authorization: basic(clients.jwt.id, clients.jwt.secret) },
      body: tokenBody,
      requests: ourProofs.requests,
    });
    if (peerProofs.signedLate || ourProofs.signedLate) throw new Error('the DPoP proof pool ran dry: raise its size');
    compare(dpopRow, dpopReference, 1.0);

    // Introspection of an opaque token, against oidc-provider's.
    const peerOpaque = await postForm(peerToken, basic('peer-opaque', 'peer-opaque-secret'), tokenBody);
    const peerIntro = await run({
      title: 'oidc-provider introspection',
      url: peerIntrospect,
      method: 'POST',
      headers: { ...form, authorization: basic('peer-jwt', 'peer-jwt-secret') },
      body: `token=${peerOpaque.access_token}`,
    });
    const opaque = await postForm(urls.token, basic(clients.opaque.id, clients.opaque.secret), tokenBody);
    const jwt = await postForm(urls.token, basic(clients.jwt.id, clients.jwt.secret), tokenBody);
    compare(await introspectionCase('', urls.introspect, opaque.access_token), peerIntro, INTROSPECTION_TARGET);

    // The resource server, against a bare Fastify route returning the same JSON.
    const bareUrl = `http://127.0.0.1:${barePort}/ms-system/country/code/AUS`;
    await assertSameBody(urls.country, bareUrl, { authorization: `Bearer ${jwt.access_token}` });
    const bareRow = await run({ title: 'bare Fastify (same JSON)', url: bareUrl });
    const bearerJwtRow = await resourceCase('', 'JWT (local verify)', urls.country, jwt.access_token);
    compare(bearerJwtRow, bareRow, RESOURCE_TARGET);
    compare(await resourceCase('', 'opaque (warm cache)', urls.country, opaque.access_token), bareRow, RESOURCE_TARGET);
    compare(await resourceCase('', 'opaque (no cache)', urls.countryNoCache, opaque.access_token), bareRow);

    // The resource server with a DPoP-bound JWT: token verifier, then the proof verifier (its jti
    // recorded in Postgres, as with several instances), against the same GET with a bearer JWT —
    // what DPoP costs (the bearer row's own reference is bare Fastify, above).
    const boundResponse = await fetch(urls.token, {
      method: 'POST',
      headers: { ...form, authorization: basic(clients.jwt.id, clients.jwt.secret), dpop: await signProof(dpopKey, 'POST', urls.token) },
      body: tokenBody,
    }).then((r) => r.json());
    if (boundResponse.token_type !== 'DPoP') throw new Error(`expected a DPoP-bound token, got ${JSON.stringify(boundResponse)}`);
    const bound = boundResponse.access_token;
    const jkt = await calculateJwkThumbprint(await exportJWK(dpopKey.publicKey));
    if (JSON.parse(Buffer.from(bound.split('.')[1], 'base64url').toString()).cnf?.jkt !== jkt)
      throw new Error('the DPoP-bound token is not bound to the bench key');
    const resourceProofs = await proofsFor(urls.country, bound);
    const dpopGet = await run({
      title: 'GET country, JWT + DPoP proof',
      url: urls.country,
      headers: { authorization: `DPoP ${bound}` },
      requests: resourceProofs.requests,
    });
    if (resourceProofs.signedLate) throw new Error('the DPoP proof pool ran dry: raise its size');
    compare(dpopGet, bearerJwtRow);
    // Two instances of auth-server and ms-system behind a round-robin front: the same
    // cases, the same references. On 2 cores the replicas and the front share the CPUs the single
    // instance had to itself: this shows what coherence and the extra hop cost, not more capacity.
    const two = await playground.startTwoInstances();
    const front = '×2 behind front: ';
    for (const format of ['opaque', 'jwt']) {
      compare(await tokenCase(front, two.token, format), tokenReferences[format], TOKEN_TARGETS[format]);
    }
    const twoOpaque = await postForm(two.token, basic(clients.opaque.id, clients.opaque.secret), tokenBody);
    const twoJwt = await postForm(two.token, basic(clients.jwt.id, clients.jwt.secret), tokenBody);
    compare(await introspectionCase(front, two.introspect, twoOpaque.access_token), peerIntro, INTROSPECTION_TARGET);
    // The front's own ceiling: bare Fastify behind the same kind of front (its own process).
    const bareFrontPort = await freePort();
    stops.push(
      await startProcess(
        'round-robin front (bare)',
        [join(root, 'bench/lib/round-robin-front.mjs'), String(bareFrontPort), `/ms-system=${barePort}`],
        {
          readyUrl: `http://127.0.0.1:${bareFrontPort}/`,
        },
      ),
    );
    const bareBehindFront = await run({
      title: '×2 behind front: bare Fastify behind the front (ceiling)',
      url: `http://127.0.0.1:${bareFrontPort}/ms-system/country/code/AUS`,
    });
    compare(bareBehindFront, bareRow);
    await assertSameBody(two.country, bareUrl, { authorization: `Bearer ${twoJwt.access_token}` });
    compare(await resourceCase(front, 'JWT (local verify)', two.country, twoJwt.access_token), bareRow, RESOURCE_TARGET);
    compare(await resourceCase(front, 'opaque (warm cache)', two.country, twoOpaque.access_token), bareRow, RESOURCE_TARGET);

    log('one archival run of every country…');
    const archival = await playground.archivalRun();
    // RSS once idle: auth-server returns the heap grown under load after 2 s without work.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const rss = Object.fromEntries(playground.processes.map((p) => [p.name, Math.round(p.rssMb())]));

    // Last: the flood leaves loopback over the failed-authentication limit (ADR 0007), which would
    // refuse any later first-time secret check from this address. The good client stays in the
    // verification cache throughout; the flood's 429s are its point, not errors.
    log('  wrong-secret flood (50 connections, a new guess per request)…');
    const flood = await measureFlood({
      url: urls.token,
      goodHeaders: { ...form, authorization: basic(clients.jwt.id, clients.jwt.secret) },
      body: tokenBody,
      floodClientId: clients.jwt.id,
      connections: load.connections,
      floodConnections: 50,
      duration: load.duration,
      warmup: load.warmup,
    });
    log(
      `    alone ${Math.round(flood.alone.rps)} req/s, under the flood ${Math.round(flood.under.rps)} req/s (${flood.ratio.toFixed(2)}×); flood answered ${JSON.stringify(flood.floodStatuses)}`,
    );
    rows.push({
      title: 'token endpoint (jwt) under wrong-secret flood',
      ...flood.under,
      reference: { title: 'the same client alone', ...flood.alone },
      ratio: flood.ratio,
      target: 0.8,
    });
    const errors = rows.reduce((n, r) => n + r.errors + (r.reference?.errors ?? 0), 0);

    const result = {
      mode: quick ? 'quick' : 'full',
      date: new Date().toISOString(),
      machine: `${cpus().length}× ${cpus()[0]?.model?.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      load,
      rows,
      archival,
      rssMb: rss,
      rssTargetMb: 150,
      errors,
    };
    console.log('\n' + printTable(rows));
    console.log(`\narchival run: ${archival.countriesArchived} countries in ${archival.wallMs} ms (${archival.status})`);
    console.log(
      `RSS after the run (MB, target < 150): ${Object.entries(rss)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    const files = writeResults(join(root, 'bench/results'), result);
    console.log(`\nwrote ${files.json} and ${files.svg}`);
    // A full run is what the README shows: its results section is rewritten from the same figures.
    if (!quick && errors === 0) {
      updateReadme(join(root, 'README.md'), result);
      console.log('updated the results section of README.md');
    }
    // Honesty: a benchmark that counted errors measured something else.
    if (errors > 0) throw new Error(`${errors} requests failed during the bench: figures are not comparable`);
    if (archival.status !== 'succeeded') throw new Error(`archival run ${archival.status}: ${archival.error}`);
  } finally {
    for (const p of stops.reverse()) await p.stop().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
