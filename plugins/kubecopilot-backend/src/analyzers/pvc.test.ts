import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { pvcAnalyzer } from './pvc';
import { ev, f, loadContext } from './__fixtures__';

const cases: Array<[string, Finding[]]> = [
  // Includes a WaitForFirstConsumer claim that is Pending by design.
  ['healthy-all-kinds', []],
  [
    'pvc-provisioning-failed',
    [
      {
        analyzer: 'pvc',
        code: 'PvcPending',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'PersistentVolumeClaim',
          namespace: 'shop',
          name: 'data-search-indexer-2',
        },
        message:
          'PersistentVolumeClaim shop/data-search-indexer-2 is stuck Pending: storageclass.storage.k8s.io "fast-ssd" not found',
        evidence: [
          f('status.phase', 'Pending'),
          f('spec.storageClassName', 'fast-ssd'),
          ev(
            'ProvisioningFailed',
            'storageclass.storage.k8s.io "fast-ssd" not found',
            6,
          ),
        ],
        proposedFix: {
          description:
            'StorageClass "fast-ssd" does not exist: set spec.storageClassName to an existing class (kubectl get storageclass). The field is immutable, so recreate the claim.',
        },
      },
    ],
  ],
];

describe('pvcAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(pvcAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });
});
