import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

function run(options) {
  return new Promise((resolve, reject) => autocannon(options, (error, result) => (error ? reject(error) : resolve(result))));
}

/**
 * The wrong-secret flood (docs/contract.md, "Errors"): a good client's token rate alone, then again while
 * `floodConnections` connections send client_secret_post requests for `floodClientId`, each with
 * a new wrong secret. Returns both rates, their ratio (target ≥ 0.8), the good client's errors
 * and how the flood was answered (status → count).
 */
export async function measureFlood({ url, goodHeaders, body, floodClientId, connections, floodConnections = 50, duration, warmup }) {
  const good = { url, method: 'POST', headers: goodHeaders, body, connections, pipelining: 1 };
  if (warmup > 0) await run({ ...good, duration: warmup });
  const alone = await run({ ...good, duration });
  const flood = run({
    url,
    method: 'POST',
    connections: floodConnections,
    pipelining: 1,
    duration: duration + 2,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `grant_type=client_credentials&client_id=${encodeURIComponent(floodClientId)}&client_secret=guess-${randomBytes(9).toString('base64url')}`,
        }),
      },
    ],
  });
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the flood is under way first
  const under = await run({ ...good, duration });
  const floodResult = await flood;
  const statuses = Object.fromEntries(Object.entries(floodResult.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]));
  const summary = (r) => ({
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    requests: r.requests.total,
  });
  return { alone: summary(alone), under: summary(under), ratio: under.requests.average / alone.requests.average, floodStatuses: statuses };
}
