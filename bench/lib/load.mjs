import autocannon from 'autocannon';

/**
 * Drives one target with autocannon: a short warm-up, then the measured run.
 * Returns req/s, latency percentiles and every kind of error autocannon counts.
 */
export async function measure({ title, url, method = 'GET', headers = {}, body, requests, connections, duration, warmup }) {
  // `requests`: autocannon request specs, for a body that must differ on every request
  // (a client assertion is single-use): `[{ setupRequest(req) { req.body = …; return req; } }]`.
  const options = { url, method, headers, body, ...(requests ? { requests } : {}), connections, pipelining: 1 };
  if (warmup > 0) await run({ ...options, duration: warmup });
  process.stderr.write(`  ${title} … `);
  const result = await run({ ...options, duration });
  const errors = result.errors + result.timeouts + result.non2xx;
  process.stderr.write(`${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms${errors ? `, ${errors} errors` : ''}\n`);
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    requests: result.requests.total,
  };
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
