import { createAnalysisContext } from '../analyzers';
import { estimateTokens, PromptContext, renderPromptContext } from './budget';
import { InFlight } from './InFlight';
import { fitClusters, knownObjects } from './llmInput';
import { versionKey } from './versionKey';

const word = (i: number) =>
  [i % 26, Math.floor(i / 26) % 26, Math.floor(i / 676) % 26]
    .map(n => String.fromCharCode(97 + n))
    .join('');

function ctx(cluster: string, logLines: number): PromptContext {
  return {
    cluster,
    findings: [],
    objects: [`Deployment shop/web-${cluster} replicas=1 ready=0`],
    events: [],
    logs: [
      {
        namespace: 'shop',
        pod: `web-${cluster}`,
        container: 'app',
        previous: false,
        // Letters only, all different: nothing for compression to fold.
        lines: Array.from(
          { length: logLines },
          (_, i) =>
            `INFO request ${word(i)} handled by worker ${word(i * 7 + 3)}`,
        ),
      },
    ],
  };
}

describe('fitClusters', () => {
  it('sends everything when it fits, and cuts the big cluster rather than the small one', () => {
    const small = ctx('small', 3);
    const big = ctx('big', 400);
    const all = fitClusters([small, big], 1_000_000);
    expect(all.fits).toBe(true);
    expect(all.text).toBe(
      `${renderPromptContext(small)}\n\n${renderPromptContext(big)}`,
    );

    const smallTokens =
      estimateTokens(renderPromptContext(small)) + estimateTokens('[]');
    const fitted = fitClusters([small, big], 600);
    expect(fitted.fits).toBe(true);
    expect(fitted.estimatedTokens).toBeLessThanOrEqual(600);
    expect(fitted.text.startsWith(renderPromptContext(small))).toBe(true);
    expect(fitted.sentChars).toBeLessThan(fitted.rawChars);
    expect(smallTokens).toBeLessThan(100);
    expect(fitClusters([small, big], 0).fits).toBe(false);
  });
});

describe('knownObjects', () => {
  it('lists every object with its cluster, pods with their containers, referenced configs by name', () => {
    const known = knownObjects([
      createAnalysisContext('east', {
        pods: [
          {
            metadata: { name: 'web-5d9-a', namespace: 'shop' },
            spec: {
              initContainers: [{ name: 'migrate' }],
              containers: [
                { name: 'app', envFrom: [{ secretRef: { name: 'web-db' } }] },
              ],
            },
          },
        ],
        nodes: [{ metadata: { name: 'node-1' } }],
        missing: [{ kind: 'ConfigMap', namespace: 'shop', name: 'web-config' }],
      }),
    ]);
    expect(known).toEqual([
      {
        cluster: 'east',
        kind: 'Pod',
        namespace: 'shop',
        name: 'web-5d9-a',
        containers: ['migrate', 'app'],
      },
      { cluster: 'east', kind: 'Node', name: 'node-1' },
      { cluster: 'east', kind: 'Secret', namespace: 'shop', name: 'web-db' },
      {
        cluster: 'east',
        kind: 'ConfigMap',
        namespace: 'shop',
        name: 'web-config',
      },
    ]);
  });
});

describe('versionKey', () => {
  const base = () =>
    createAnalysisContext('east', {
      pods: [
        {
          metadata: {
            name: 'web-5d9-a',
            namespace: 'shop',
            resourceVersion: '10',
          },
        },
      ],
      logs: [
        {
          namespace: 'shop',
          pod: 'web-5d9-a',
          container: 'app',
          previous: true,
          lines: ['boom'],
        },
      ],
    });
  const key = (c = base(), errors: string[] = []) =>
    versionKey({
      entityRef: 'component:default/web',
      contexts: [c],
      errors,
      salt: 'm|diagnose/v1',
    });

  it('changes with a resourceVersion, the logs read, or what could not be read; not with log text alone', () => {
    expect(key()).toBe(key());
    const bumped = base();
    bumped.pods[0].metadata!.resourceVersion = '11';
    expect(key(bumped)).not.toBe(key());
    const noLogs = base();
    noLogs.logs = [];
    expect(key(noLogs)).not.toBe(key());
    expect(key(base(), ['Node n1 could not be read'])).not.toBe(key());
    const otherText = base();
    otherText.logs[0].lines = ['boom again'];
    expect(key(otherText)).toBe(key());
  });
});

describe('InFlight', () => {
  it('shares a running computation per key and forgets it once settled', async () => {
    const inFlight = new InFlight<number>();
    let runs = 0;
    const start = () =>
      new Promise<number>(resolve => setTimeout(() => resolve(++runs), 10));
    const results = await Promise.all([
      inFlight.run('a', start),
      inFlight.run('a', start),
      inFlight.run('b', start),
    ]);
    expect(results.sort()).toEqual([1, 1, 2]);
    expect(inFlight.size).toBe(0);
    await expect(
      inFlight.run('a', () => Promise.reject(new Error('x'))),
    ).rejects.toThrow('x');
    await expect(inFlight.run('a', start)).resolves.toBe(3);
  });
});
