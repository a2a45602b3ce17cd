import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { pvcAnalyzer } from './pvc';
import { ev, f, loadContext } from './__fixtures__';

const LOST_PV = 'pvc-086f2efe-2aa7-40b0-9823-c8c2a4e6f55a';

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
  [
    'pvc-lost',
    [
      {
        analyzer: 'pvc',
        code: 'PvcLost',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'PersistentVolumeClaim',
          namespace: 'n-pvc-lost',
          name: 'reports-data',
        },
        message: `PersistentVolumeClaim n-pvc-lost/reports-data is Lost: its PersistentVolume ${LOST_PV} no longer exists. Pods that mount it cannot be scheduled, and its data is gone unless the volume is restored.`,
        evidence: [
          f('status.phase', 'Lost'),
          f('spec.volumeName', LOST_PV),
          ev(
            'ClaimLost',
            'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
            1,
          ),
        ],
        proposedFix: {
          description: `Restore PersistentVolume ${LOST_PV} from a backup or snapshot (same name, with a claimRef to n-pvc-lost/reports-data) so the claim binds again; or, if the data may be lost, delete and recreate the claim so a new volume is provisioned. No plan can do this, and restarting the pods will not help.`,
        },
      },
    ],
  ],
  [
    'pvc-provisioner-stuck',
    [
      {
        analyzer: 'pvc',
        code: 'PvcPending',
        severity: 'error',
        cluster: 'prod-eu',
        resource: {
          kind: 'PersistentVolumeClaim',
          namespace: 'n-pvc-provisioner-missing',
          name: 'data-postgres-0',
        },
        message:
          'PersistentVolumeClaim n-pvc-provisioner-missing/data-postgres-0 is stuck Pending: the external provisioner "ebs.csi.aws.com" has not created a volume in 26 min, and never reported picking the claim up',
        evidence: [
          f('status.phase', 'Pending'),
          f('spec.storageClassName', 'gp3'),
          f(
            'metadata.annotations[volume.kubernetes.io/storage-provisioner]',
            'ebs.csi.aws.com',
          ),
          ev(
            'ExternalProvisioning',
            "Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
            102,
          ),
        ],
        proposedFix: {
          description:
            'Check that the provisioner "ebs.csi.aws.com" is installed and running (its controller pods and logs; kubectl get csidrivers) — on EKS, the Amazon EBS CSI driver add-on and its IAM role. The claim binds by itself once a volume is created; restarting the pods will not help.',
        },
      },
    ],
  ],
];

describe('pvcAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    expect(pvcAnalyzer.analyze(loadContext(fixture))).toEqual(expected);
  });

  it('leaves a claim alone while its provisioner has been at work for a minute or two', () => {
    const ctx = loadContext('pvc-provisioner-stuck');
    const waiting = ctx.events.find(e => e.reason === 'ExternalProvisioning')!;
    ctx.now =
      Date.parse(waiting.firstTimestamp as unknown as string) + 4 * 60_000;
    expect(pvcAnalyzer.analyze(ctx)).toEqual([]);
  });
});
