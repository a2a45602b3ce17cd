import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../kubernetes/types';
import { parseManifest } from '../manifest';
import { CheckContext } from '../types';
import { runChecks } from '.';

const good = () =>
  parseManifest(
    readFileSync(
      join(__dirname, '../__fixtures__/good-deployment.yaml'),
      'utf8',
    ),
  );

const PDB: KubeObject = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'checkout' } } },
};
const HPA: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: {
    scaleTargetRef: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'checkout',
    },
    minReplicas: 2,
    maxReplicas: 10,
  },
};

const context = (over: Partial<CheckContext> = {}): CheckContext => ({
  productionNamespaces: ['shop'],
  pdbs: [PDB],
  hpas: [],
  ...over,
});

const C = 'spec.template.spec.containers[0]';
const container = (o: KubeObject) => o.spec.template.spec.containers[0];

/** [check id, how the good manifest is broken, the path it must point at, context] */
const CASES: Array<
  [string, (o: KubeObject) => void, string, Partial<CheckContext>?]
> = (
  [
    [
      'resources-cpu-request-missing',
      o => delete container(o).resources.requests.cpu,
      `${C}.resources.requests.cpu`,
    ],
    [
      'resources-memory-request-missing',
      o => delete container(o).resources.requests.memory,
      `${C}.resources.requests.memory`,
    ],
    [
      'resources-memory-limit-missing',
      o => delete container(o).resources.limits.memory,
      `${C}.resources.limits.memory`,
    ],
    [
      'resources-cpu-limit-missing',
      o => delete container(o).resources.limits.cpu,
      `${C}.resources.limits.cpu`,
    ],
    [
      'probe-readiness-missing',
      o => delete container(o).readinessProbe,
      `${C}.readinessProbe`,
    ],
    [
      'probe-liveness-missing',
      o => delete container(o).livenessProbe,
      `${C}.livenessProbe`,
    ],
    [
      'probes-identical',
      o => {
        container(o).livenessProbe = structuredClone(
          container(o).readinessProbe,
        );
      },
      `${C}.livenessProbe`,
    ],
    [
      'image-tag-mutable',
      o => (container(o).image = 'ghcr.io/kubecopilot-demo/checkout:latest'),
      `${C}.image`,
    ],
    [
      'image-tag-mutable',
      o => (container(o).image = 'registry.local:5000/checkout'),
      `${C}.image`,
    ],
    [
      'image-pull-policy-never',
      o => (container(o).imagePullPolicy = 'Never'),
      `${C}.imagePullPolicy`,
    ],
    [
      'image-pull-policy-stale',
      o => {
        container(o).image = 'checkout:latest';
        container(o).imagePullPolicy = 'IfNotPresent';
      },
      `${C}.imagePullPolicy`,
    ],
    [
      'security-privileged',
      o => (container(o).securityContext.privileged = true),
      `${C}.securityContext.privileged`,
    ],
    [
      'security-run-as-root',
      o => delete o.spec.template.spec.securityContext.runAsNonRoot,
      `${C}.securityContext.runAsNonRoot`,
    ],
    [
      'security-run-as-root',
      o => (container(o).securityContext.runAsUser = 0),
      `${C}.securityContext.runAsNonRoot`,
    ],
    [
      'security-writable-root-fs',
      o => delete container(o).securityContext.readOnlyRootFilesystem,
      `${C}.securityContext.readOnlyRootFilesystem`,
    ],
    ['pdb-missing', () => {}, 'spec.replicas', { pdbs: [] }],
    [
      'replicas-single-in-production',
      o => (o.spec.replicas = 1),
      'spec.replicas',
    ],
    [
      'spread-missing',
      o => delete o.spec.template.spec.topologySpreadConstraints,
      'spec.template.spec.topologySpreadConstraints',
    ],
    [
      'env-secret-literal',
      o =>
        (container(o).env[0] = {
          name: 'API_TOKEN',
          value: 'sk-live-4f9a8b7c6d5e4f3a2b1c',
        }),
      `${C}.env[0].value`,
    ],
    [
      'env-secret-literal',
      o =>
        (container(o).env[0] = {
          name: 'DATABASE_URL',
          value: 'postgres://app:hunter2@db:5432/shop',
        }),
      `${C}.env[0].value`,
    ],
    ['hpa-replicas-conflict', () => {}, 'spec.replicas', { hpas: [HPA] }],
  ] as Array<[string, (o: KubeObject) => void, string, Partial<CheckContext>?]>
).map(([id, breakIt, path, over]) => [id, breakIt, path, over ?? {}]);

describe('manifest checks', () => {
  it('finds nothing wrong with the good manifest', () => {
    expect(runChecks(good(), context())).toEqual({ checks: [], errors: [] });
  });

  it.each(CASES)(
    '%s: the good manifest passes, the broken one is found (case %#)',
    (id, breakIt, path, over) => {
      const ctx = context(over);
      // The good manifest, in the same surroundings, except where the
      // surroundings are what is broken (no PDB, an HPA).
      const goodChecks = runChecks(good(), context()).checks;
      expect(goodChecks.map(c => c.id)).not.toContain(id);
      const bad = good();
      breakIt(bad);
      const found = runChecks(bad, ctx).checks.filter(c => c.id === id);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ id, path });
      expect(found[0].message.length).toBeGreaterThan(40);
      expect(found[0].fix.length).toBeGreaterThan(30);
      expect(found[0].source).toMatch(/kube-score|Polaris|kube-linter/);
    },
  );

  it('never echoes a credential it found', () => {
    const bad = good();
    container(bad).env[0] = {
      name: 'API_TOKEN',
      value: 'sk-live-4f9a8b7c6d5e4f3a2b1c',
    };
    expect(JSON.stringify(runChecks(bad, context()))).not.toContain('sk-live');
  });

  it('suggests a value only for fields a plan may change, derived from the manifest', () => {
    const bad = good();
    delete container(bad).resources.limits.memory;
    delete container(bad).resources.limits.cpu;
    bad.spec.replicas = 1;
    const { checks } = runChecks(bad, context({ pdbs: [] }));
    const byId = Object.fromEntries(checks.map(c => [c.id, c]));
    expect(byId['resources-memory-limit-missing'].suggestion).toEqual({
      path: `${C}.resources.limits.memory`,
      value: '128Mi',
    });
    expect(byId['resources-cpu-limit-missing'].suggestion).toEqual({
      path: `${C}.resources.limits.cpu`,
      value: '200m',
    });
    expect(byId['replicas-single-in-production'].suggestion).toEqual({
      path: 'spec.replicas',
      value: 2,
    });
    expect(
      checks
        .filter(c => c.suggestion)
        .every(c => /resources|replicas/.test(c.suggestion!.path)),
    ).toBe(true);
  });

  it('puts errors first', () => {
    const bad = good();
    delete container(bad).livenessProbe;
    container(bad).securityContext.privileged = true;
    const severities = runChecks(bad, context()).checks.map(c => c.severity);
    expect(severities[0]).toBe('error');
    expect(severities.at(-1)).toBe('info');
  });

  it('skips the PDB check when PDBs could not be read, and single-replica outside production', () => {
    const bad = good();
    bad.spec.replicas = 1;
    const ids = runChecks(bad, { productionNamespaces: [] }).checks.map(
      c => c.id,
    );
    expect(ids).not.toContain('replicas-single-in-production');
    expect(ids).not.toContain('pdb-missing');
  });

  it('checks a CronJob at its job template, without serving checks', () => {
    const cron: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'shop' },
      spec: {
        schedule: '0 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'report', image: 'report' }],
              },
            },
          },
        },
      },
    };
    const { checks } = runChecks(cron, context());
    const ids = checks.map(c => c.id);
    expect(ids).toContain('resources-memory-limit-missing');
    expect(ids).toContain('image-tag-mutable');
    expect(ids).not.toContain('probe-readiness-missing');
    expect(ids).not.toContain('pdb-missing');
    expect(checks.find(c => c.id === 'image-tag-mutable')?.path).toBe(
      'spec.jobTemplate.spec.template.spec.containers[0].image',
    );
  });

  it('reports a rule that throws and still runs the others', () => {
    const boom = () => {
      throw new Error('odd');
    };
    const result = runChecks(good(), context(), [boom]);
    expect(result.checks).toEqual([]);
    expect(result.errors[0]).toMatch(/odd/);
  });
});
