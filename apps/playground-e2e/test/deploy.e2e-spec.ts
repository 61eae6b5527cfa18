// deploy/kubernetes checked without a cluster: every object against the Kubernetes OpenAPI
// schema (kubernetes-models' validators, the schema kubectl's server-side validation uses), then
// the wiring a schema cannot see — probes on each app's real health path and port, selectors
// that match the pods, an HPA and a PDB that point at Deployments that exist, and no database
// inside the cluster (PostgreSQL is an external dependency).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = resolve(__dirname, '../../..');
const dir = join(root, 'deploy/kubernetes');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

const APPS = {
  'auth-server': { port: 8085, basePath: '/ms-auth-server', hpa: true },
  'ms-system': { port: 8091, basePath: '/ms-system', hpa: true },
  'archival-service': { port: 8282, basePath: '/archival-service', hpa: false },
} as const;

const kustomization = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0].toJS() as { resources: string[] };
const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS() as K8sObject),
);
const lookup = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
function find(kind: string, name: string): K8sObject {
  const object = lookup(kind, name);
  if (!object) throw new Error(`deploy/kubernetes has no ${kind} ${name}`);
  return object;
}

/** The kubernetes-models class for an object's apiVersion and kind (core group: `kubernetes-models/v1`). */
function modelFor(object: Pick<K8sObject, 'apiVersion' | 'kind'>): new (data: unknown) => { validate(): void } {
  const module = require(`kubernetes-models/${object.apiVersion}`) as Record<string, new (data: unknown) => { validate(): void }>;
  const model = module[object.kind];
  if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  return model;
}
const validate = (object: K8sObject) => new (modelFor(object))(object).validate();

describe('deploy/kubernetes', () => {
  it('every object is valid against the Kubernetes schema', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) expect(() => validate(object)).not.toThrow();
  });

  it('the schema check fails on an invalid object (a string port, an unknown kind)', () => {
    const deployment = structuredClone(find('Deployment', 'auth-server'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '8085';
    expect(() => validate(deployment)).toThrow(/containerPort must be integer/);
    const probeless = structuredClone(find('Deployment', 'ms-system'));
    probeless.spec.template.spec.containers[0].readinessProbe.httpGet.port = { name: 'http' };
    expect(() => validate(probeless)).toThrow();
    expect(() => modelFor({ apiVersion: 'apps/v1', kind: 'Deploymnet' })).toThrow(/no schema/);
  });

  it('runs no database: PostgreSQL is external, reached through the playground-database Secret', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    const images = objects.filter((o) => o.kind === 'Deployment').map((d) => d.spec.template.spec.containers[0].image);
    expect(new Set(images)).toEqual(new Set(['oauth2-playground']));
  });

  describe('console', () => {
    const deployment = () => find('Deployment', 'console');
    const container = () => deployment().spec.template.spec.containers[0];

    it('runs the flow console, one pod replaced rather than rolled (its traces live in memory)', () => {
      expect(container().command).toEqual(['node', 'dist/apps/console/main.js']);
      expect(container().ports).toEqual([{ name: 'http', containerPort: 8080 }]);
      expect(deployment().spec.replicas).toBe(1);
      expect(deployment().spec.strategy).toEqual({ type: 'Recreate' });
      expect(lookup('HorizontalPodAutoscaler', 'console')).toBeUndefined();
      expect(deployment().spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      for (const probe of ['readinessProbe', 'livenessProbe'])
        expect(container()[probe].httpGet).toEqual({ path: '/console/health', port: 'http' });
    });

    it("receives every app's traces through its Service, and takes the scenario clients' secrets from a Secret", () => {
      const config = find('ConfigMap', 'playground-config').data ?? {};
      expect(config['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://console:8080/console/otlp');
      expect(find('Service', 'console').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http' }]);
      const secrets = container()
        .env.filter((e: { valueFrom?: unknown }) => e.valueFrom)
        .map((e: { name: string }) => e.name);
      expect(secrets.sort()).toEqual(['JWT_CLIENT_SECRET', 'OPAQUE_CLIENT_SECRET']);
    });
  });

  describe.each(Object.entries(APPS))('%s', (name, app) => {
    const deployment = () => find('Deployment', name);
    const container = () => deployment().spec.template.spec.containers[0];
    const podLabels = () => deployment().spec.template.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels()[k] === v);

    it('runs its own bundle on its contract port, as a non-root user', () => {
      expect(container().command).toEqual(['node', `dist/apps/${name}/main.js`]);
      expect(container().ports).toEqual([{ name: 'http', containerPort: app.port }]);
      expect(container().env).toContainEqual({ name: 'PORT', value: String(app.port) });
      expect(deployment().spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(container().securityContext.allowPrivilegeEscalation).toBe(false);
    });

    it('is ready only when /health says so (the database included), and at least two replicas run', () => {
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        expect(container()[probe].httpGet).toEqual({ path: `${app.basePath}/health`, port: 'http' });
      }
      expect(deployment().spec.replicas).toBeGreaterThanOrEqual(2);
      expect(matches(deployment().spec.selector.matchLabels)).toBe(true);
    });

    it('reads DATABASE_URL from the external-database Secret', () => {
      expect(container().env).toContainEqual({
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'playground-database', key: 'url' } },
      });
    });

    it('has a Service selecting its pods on the contract port', () => {
      const service = find('Service', name);
      expect(matches(service.spec.selector)).toBe(true);
      expect(service.spec.ports).toEqual([{ name: 'http', port: app.port, targetPort: 'http' }]);
    });

    it('keeps a pod through voluntary disruptions (PodDisruptionBudget)', () => {
      const pdb = find('PodDisruptionBudget', name);
      expect(pdb.spec.minAvailable).toBe(1);
      expect(matches(pdb.spec.selector.matchLabels)).toBe(true);
    });

    it(app.hpa ? 'scales on CPU (HPA on its Deployment)' : 'has no HPA (runs are serialised by an advisory lock)', () => {
      const hpa = lookup('HorizontalPodAutoscaler', name);
      if (!app.hpa) return expect(hpa).toBeUndefined();
      expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(hpa?.spec.minReplicas).toBe(deployment().spec.replicas);
      expect(hpa?.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ]);
    });

    it('reaches the other apps through their in-cluster Services', () => {
      const config = find('ConfigMap', 'playground-config').data ?? {};
      expect(config['AUTH_SERVER_URL']).toBe('http://auth-server:8085/ms-auth-server');
      expect(config['MS_SYSTEM_URL']).toBe('http://ms-system:8091/ms-system');
      expect(config['NODE_ENV']).toBe('production');
      expect(container().envFrom).toEqual([{ configMapRef: { name: 'playground-config' } }]);
    });
  });
});
