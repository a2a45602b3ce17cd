import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../kubernetes/types';
import { parseManifest } from '../manifest';
import type { ObservedUse } from '../observedUse';
import { CheckContext } from '../types';
import { runChecks } from '.';

const MI = 2 ** 20;
const LIMIT = 'spec.template.spec.containers[0].resources.limits.memory';
const REQUEST = 'spec.template.spec.containers[0].resources.requests.memory';

/** checkout: requests 128Mi, limits 256Mi. */
const manifest = () =>
  parseManifest(
    readFileSync(
      join(__dirname, '../__fixtures__/good-deployment.yaml'),
      'utf8',
    ),
  );
const resources = (o: KubeObject) =>
  o.spec.template.spec.containers[0].resources;

const observed = (peakMi: number): ObservedUse => ({
  window: '7d',
  memoryPeakBytes: { checkout: peakMi * MI },
  queries: { checkout: 'max(max_over_time(...[7d]))' },
});

const context = (use?: ObservedUse): CheckContext => ({
  productionNamespaces: ['shop'],
  pdbs: [
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'checkout', namespace: 'shop' },
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: { app: 'checkout' } },
      },
    },
  ],
  hpas: [],
  observed: use,
});

const checks = (o: KubeObject, use?: ObservedUse) =>
  runChecks(o, context(use)).checks;

describe('checks against observed memory use', () => {
  it('says nothing without observations, or with a limit that has headroom', () => {
    expect(checks(manifest())).toEqual([]);
    expect(checks(manifest(), observed(180))).toEqual([]);
    // A container Prometheus has no series for is not judged.
    expect(
      checks(manifest(), {
        ...observed(300),
        memoryPeakBytes: { other: 300 * MI },
      }),
    ).toEqual([]);
  });

  it('an edited limit at or below the peak is an error, first, with a limit that fits', () => {
    const edited = manifest();
    resources(edited).limits.memory = '192Mi';
    const found = checks(edited, observed(210));
    expect(found[0]).toEqual({
      id: 'resources-memory-limit-below-use',
      severity: 'error',
      path: LIMIT,
      message:
        "Container checkout's memory limit (192Mi) is below what it uses: its pods' memory working set peaked at 210 MiB over the last 7d. With this limit the kernel OOM-kills the container as soon as it reaches that again, and it restarts in a loop.",
      fix: expect.stringContaining('288Mi is the peak plus a quarter'),
      source: expect.stringContaining('container_memory_working_set_bytes'),
      suggestion: { path: LIMIT, value: '288Mi' },
    });
  });

  it('a limit within 10 % of the peak is a warning with the share it runs at', () => {
    const found = checks(manifest(), observed(240)).filter(
      c => c.id === 'resources-memory-limit-near-use',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', path: LIMIT });
    expect(found[0].message).toContain('94 % of the limit');
    expect(found[0].suggestion).toEqual({ path: LIMIT, value: '320Mi' });
  });

  it('reads limits written in any quantity form', () => {
    const edited = manifest();
    resources(edited).limits.memory = '200M'; // 190.7 MiB, decimal megabytes
    expect(checks(edited, observed(195)).map(c => c.id)).toContain(
      'resources-memory-limit-below-use',
    );
    resources(edited).limits.memory = '1Gi';
    expect(checks(edited, observed(195)).map(c => c.id)).not.toContain(
      'resources-memory-limit-below-use',
    );
  });

  it('a request many times the peak is an info note that suggests the peak plus a quarter', () => {
    const edited = manifest();
    resources(edited).requests.memory = '2Gi';
    resources(edited).limits.memory = '2Gi';
    const found = checks(edited, observed(100));
    expect(found.map(c => c.id)).toEqual([
      'resources-memory-request-above-use',
    ]);
    expect(found[0]).toMatchObject({
      severity: 'info',
      path: REQUEST,
      suggestion: { path: REQUEST, value: '128Mi' },
    });
    expect(found[0].message).toContain('about 20 times what it uses');
    // A small request above a tiny peak is not worth a note.
    expect(checks(manifest(), observed(20))).toEqual([]);
  });
});
