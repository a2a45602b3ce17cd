import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainManifest } from './explain';
import { parseManifest } from './manifest';

const good = () =>
  parseManifest(
    readFileSync(join(__dirname, '__fixtures__/good-deployment.yaml'), 'utf8'),
  );

describe('explainManifest', () => {
  it('explains resources, probes and the rollout of a Deployment in plain words', () => {
    const texts = explainManifest(good()).map(
      e => `${e.topic} ${e.path}: ${e.text}`,
    );
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^workload spec\.replicas: Deployment checkout runs 3 copies/,
        ),
        expect.stringMatching(
          /requests 100m CPU and 128Mi memory: the scheduler only places the pod on a node/,
        ),
        expect.stringMatching(
          /Above 256Mi of memory the kernel kills it \(OOMKilled\)/,
        ),
        expect.stringMatching(/QoS class Burstable/),
        expect.stringMatching(
          /^probes spec\.template\.spec\.containers\[0\]\.readinessProbe: .*HTTP GET of \/healthz.*after 3 failures in a row \(~30 s\)/,
        ),
        expect.stringMatching(
          /^probes .*livenessProbe: checkout is restarted when .*fails 6 times in a row \(~120 s\)/,
        ),
        expect.stringMatching(
          /^rollout spec\.strategy: .*up to 1 extra pod starts .* at most 0 may be unavailable .*a new pod must be ready before an old one is stopped/,
        ),
      ]),
    );
  });

  it('explains Recreate, the HPA and a CronJob schedule', () => {
    const recreate = good();
    recreate.spec.strategy = { type: 'Recreate' };
    const hpa = {
      metadata: { name: 'checkout' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'checkout' },
        minReplicas: 2,
        maxReplicas: 8,
      },
    };
    const texts = explainManifest(recreate, { hpas: [hpa] }).map(e => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Recreate: every old pod is stopped/),
        expect.stringMatching(
          /owns the replica count: it keeps it between 2 and 8/,
        ),
      ]),
    );
    const cron = explainManifest({
      kind: 'CronJob',
      metadata: { name: 'report' },
      spec: {
        schedule: '0 * * * *',
        concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: { template: { spec: { containers: [] } } } },
      },
    });
    expect(cron[0]).toEqual({
      topic: 'schedule',
      path: 'spec.schedule',
      text: 'A Job starts on the cron schedule "0 * * * *" in the controller’s time zone. A run is skipped while the previous one still runs.',
    });
  });
});
