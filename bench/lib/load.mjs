import autocannon from 'autocannon';

/**
 * Drives one target with autocannon: a short warm-up, then the measured run.
 * Returns req/s, latency percentiles and every kind of error autocannon counts.
 */
export async function measure({ title, url, method = 'GET', headers = {}, body, connections, duration, warmup }) {
  const options = { url, method, headers, body, connections, pipelining: 1 };
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
