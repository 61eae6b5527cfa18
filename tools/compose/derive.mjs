// Derives the compose file podman-compose runs from the repository's docker-compose.yml, changing
// only what this machine needs and keeping everything else as users get it:
//   - images no registry can deliver here are replaced by the locally built stand-ins;
//   - the apps' `build` gets the repository's absolute path (the derived file lives elsewhere) and
//     the stand-in Node image as NODE_IMAGE; the app image gets a test-only tag, and is built
//     once when several services share it;
//   - healthcheck lists become their string form (podman-compose 1.0.3 mangles lists);
//   - bind mounts relative to the compose file (the proxy's nginx.conf) get absolute paths;
//   - published ports are remapped to free ones, so a playground already running on 8085/8091/8282
//     (or another test) is not in the way.
// podman-compose 1.0.3 cannot override a list (ports) from a second file, hence a derived file
// rather than an override. YAML anchors and `<<` merges are resolved here.
//
//   node derive.mjs <docker-compose.yml> <out.yml> <json: { "<image>": "<stand-in>" , …}> <node image>
// Prints {"<service>": {"<container port>": <host port>}} for the published ports.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const [source, out, standinsJson, nodeImage] = process.argv.slice(2);
const standins = JSON.parse(standinsJson);
const doc = parse(readFileSync(source, 'utf8'), { merge: true });
const context = dirname(resolve(source));

const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

const published = {};
const builtImages = new Map();
const missing = [];
for (const [name, service] of Object.entries(doc.services)) {
  if (service.profiles !== undefined) {
    // Opt-in services (`--profile …`, e.g. Prometheus) are not part of a plain `up`: left out.
    delete doc.services[name];
    continue;
  }
  if (service.build !== undefined && builtImages.has(service.image)) {
    // Several services share one built image (the compose file's `x-app`): build it once.
    delete service.build;
    service.image = builtImages.get(service.image);
  } else if (service.build !== undefined) {
    const original = service.image;
    const build = typeof service.build === 'string' ? { context: service.build } : { ...service.build };
    build.context = resolve(context, build.context ?? '.');
    build.args = { ...build.args, NODE_IMAGE: nodeImage };
    service.build = build;
    service.image = `localhost/${original ? original.replace(/:[^/]*$/, '') : `oauth2-playground-${name}`}:compose-test`;
    if (original) builtImages.set(original, service.image);
  } else if (standins[service.image]) {
    service.image = standins[service.image];
  } else {
    missing.push(`${name} (${service.image})`);
  }
  if (service.volumes !== undefined) {
    // Bind mounts relative to the compose file ("./deploy/…:/etc/…:ro"): absolute, as the
    // derived file lives elsewhere. Named volumes ("pgdata:/var/…") stay as they are.
    service.volumes = service.volumes.map((spec) =>
      /^\.{1,2}\//.test(String(spec))
        ? `${resolve(context, String(spec).split(':')[0])}:${String(spec).split(':').slice(1).join(':')}`
        : spec,
    );
  }
  if (Array.isArray(service.healthcheck?.test)) {
    // podman-compose 1.0.3 mangles the list form: it joins CMD's arguments with broken quoting
    // (`node' '-e' ''fetch(…` never passes), and pops the first item off the list a service's
    // replicas share (replica 2: "unknown healthcheck test type [node]"). The string form (run
    // by a shell) is passed through: the same command, each argument quoted.
    const [kind, ...args] = service.healthcheck.test;
    const quote = (arg) => `'${String(arg).replaceAll("'", `'\\''`)}'`;
    service.healthcheck.test = kind === 'CMD-SHELL' ? args[0] : args.map(quote).join(' ');
  }
  service.ports = await Promise.all(
    (service.ports ?? []).map(async (spec) => {
      // "127.0.0.1:8085:8085" or "8085:8085": the host side changes, the container side stays.
      const parts = String(spec).split(':');
      const containerPort = parts.at(-1);
      const host = parts.length === 3 ? parts[0] : '127.0.0.1';
      const port = await freePort();
      (published[name] ??= {})[containerPort] = port;
      return `${host}:${port}:${containerPort}`;
    }),
  );
}
if (missing.length) {
  console.error(
    `no local stand-in for the image of: ${missing.join(', ')} — no registry is reachable here; ` +
      'add one in tools/compose/standin/ and tools/compose/run.sh',
  );
  process.exit(1);
}
// The merge keys' sources (x-app, x-app-env) are resolved into the services: drop them.
for (const key of Object.keys(doc)) if (key.startsWith('x-')) delete doc[key];
writeFileSync(out, stringify(doc, { lineWidth: 0 }));
console.log(JSON.stringify(published));
