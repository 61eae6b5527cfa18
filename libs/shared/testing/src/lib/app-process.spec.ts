import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@playground/database/testing';
import { startBuiltApp } from './app-process';

/** A stand-in "built app": answers /svc/health once it has counted to three, logs its env. */
const FAKE_MAIN = `
const http = require('node:http');
let polls = 0;
http.createServer((req, res) => {
  if (req.url === '/svc/health' && ++polls >= 3) { res.end('{"status":"ok"}'); return; }
  res.statusCode = 503; res.end();
}).listen(Number(process.env.PORT), process.env.HOST, () => console.log('listening with', process.env.GREETING));
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
`;

describe('startBuiltApp: spawns dist/apps/<name>/main.js and waits for its health', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fake-workspace-'));
    mkdirSync(join(root, 'dist/apps/fake'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/fake/main.js'), FAKE_MAIN);
    mkdirSync(join(root, 'dist/apps/crash'), { recursive: true });
    writeFileSync(join(root, 'dist/apps/crash/main.js'), 'console.error("boom: bad config"); process.exit(3);');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves once /health answers 200, passes env, captures output, stops on SIGTERM', async () => {
    const port = await freePort();
    const app = await startBuiltApp({ name: 'fake', port, basePath: '/svc', env: { GREETING: 'hello' }, workspaceRoot: root });
    expect(app.baseUrl).toBe(`http://127.0.0.1:${port}/svc`);
    expect((await fetch(`${app.baseUrl}/health`)).status).toBe(200);
    expect(app.output()).toContain('listening with hello');
    expect(await app.stop()).toBe(0);
    expect(app.output()).toContain('bye');
  });

  it('fails with the output when the app exits during start-up', async () => {
    await expect(startBuiltApp({ name: 'crash', port: await freePort(), basePath: '/svc', env: {}, workspaceRoot: root })).rejects.toThrow(
      /crash exited with 3:[\s\S]*boom: bad config/,
    );
  });

  it('says what to do when the app was not built', async () => {
    await expect(startBuiltApp({ name: 'missing', port: 1, basePath: '/x', env: {}, workspaceRoot: root })).rejects.toThrow(
      /nx build missing/,
    );
  });
});
