#!/usr/bin/env node
// `npm ci` on a fresh clone stops with "package.json and package-lock.json are not in sync …
// Missing: sass-embedded-darwin-arm64@ from lock file" (and @unrs/resolver-binding-*, …): the
// lock was written against a registry mirror that serves only the linux-x64 builds of
// platform-specific optional packages, so their entries were dropped.
//
// This adds an entry for every optional dependency the lock lacks (version from the parent's
// `optionalDependencies`; os/cpu/libc read from the package name), which is what `npm install`
// writes against the full registry. npm then skips them on other platforms, as before, and on
// macOS/Windows fetches the right binary from the public registry.
//
// Usage (from the repository root): node tools/lockfile/add-missing-optional-deps.cjs && npm ci
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const OS = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'riscv64', 'ppc64', 's390x', 'loong64', 'mips64el', 'wasm32'];
let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${path ? path + '/' : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const words = name.split('/').pop().split('-');
    const entry = { version, optional: true };
    if (pkg.dev) entry.dev = true;
    const os = OS.find((o) => words.includes(o));
    const cpu = CPU.find((c) => words.includes(c) || words.some((w) => w.startsWith(c) && c !== 'arm'));
    entry.os = os ? [os] : ['none'];
    if (cpu) entry.cpu = [cpu];
    if (words.includes('musl') || words.some((w) => w.startsWith('musl'))) entry.libc = ['musl'];
    else if (os === 'linux' && (words.includes('gnu') || words.some((w) => w.startsWith('gnu')))) entry.libc = ['glibc'];
    lock.packages[`node_modules/${name}`] = entry;
    added++;
  }
}
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);
