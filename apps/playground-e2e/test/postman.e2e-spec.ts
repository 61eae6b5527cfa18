// The Postman collection of the walkthrough (docs/postman, v2.1 + environment), run by newman
// against the built apps: the collection people import into Postman stays true.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run, type NewmanRunSummary } from 'newman';
import { createPlayground, type Playground } from './support/playground';

const docs = resolve(__dirname, '../../../docs/postman');
const read = (file: string) => JSON.parse(readFileSync(resolve(docs, file), 'utf8')) as unknown;

describe('docs/postman: the walkthrough collection, run by newman', () => {
  let playground: Playground;

  beforeAll(async () => {
    playground = await createPlayground();
    await playground.start('auth-server');
    await playground.start('ms-system');
  }, 120_000);

  afterAll(() => playground?.close(), 60_000);

  it('passes every request and assertion of the collection', async () => {
    const summary = await new Promise<NewmanRunSummary>((done, fail) =>
      run(
        {
          collection: read('playground.postman_collection.json'),
          environment: read('playground.postman_environment.json'),
          // Only the URLs change: this run's free ports instead of 8085/8091.
          envVar: [
            { key: 'authServer', value: playground.url('auth-server') },
            { key: 'msSystem', value: playground.url('ms-system') },
          ],
          reporters: [],
          timeoutRequest: 10_000,
        },
        (error, result) => (error ? fail(error) : done(result)),
      ),
    );
    const failures = summary.run.failures.map((f) => `${f.source?.name}: ${f.error.test ?? f.error.name}: ${f.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.requests).toMatchObject({ total: 11, failed: 0 });
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(20);
  });
});
