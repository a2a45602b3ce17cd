import type { Analyzer } from './types';
import {
  eventEvidence,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  refOf,
} from './common';

const NAME = 'pvc';

export const pvcAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['PersistentVolumeClaim'],
  analyze(ctx) {
    return ctx.pvcs.flatMap(pvc => {
      if (pvc.status?.phase !== 'Pending') return [];
      const namespace = pvc.metadata?.namespace;
      const events = eventsFor(
        ctx,
        'PersistentVolumeClaim',
        namespace,
        pvc.metadata?.name ?? '',
      );
      // A fresh claim is Pending while the provisioner works, and a
      // WaitForFirstConsumer claim stays Pending until a pod uses it: both are
      // by design. Only a Warning (ProvisioningFailed, FailedBinding) is a fault.
      const warnings = events.filter(e => e.type === 'Warning');
      if (warnings.length === 0) return [];
      const latest = warnings[warnings.length - 1];
      const sc = pvc.spec?.storageClassName;
      return [
        makeFinding(NAME, ctx, {
          code: 'PvcPending',
          severity: 'error',
          resource: refOf('PersistentVolumeClaim', pvc),
          message: `PersistentVolumeClaim ${namespace}/${
            pvc.metadata?.name
          } is stuck Pending: ${latest.message ?? latest.reason}`,
          evidence: [
            field('status.phase', 'Pending'),
            field('spec.storageClassName', sc ?? '(unset)'),
            ...latestEvents(warnings, 2).map(eventEvidence),
          ],
          proposedFix: { description: pvcAdvice(latest.message ?? '', sc) },
        }),
      ];
    });
  },
};

function pvcAdvice(message: string, storageClass: string | undefined): string {
  if (/storageclass\.storage\.k8s\.io "[^"]+" not found/i.test(message)) {
    return `StorageClass "${storageClass}" does not exist: set spec.storageClassName to an existing class (kubectl get storageclass). The field is immutable, so recreate the claim.`;
  }
  if (
    /no persistent volumes available|no storage class is set/i.test(message)
  ) {
    return 'No PersistentVolume matches and no StorageClass can provision one: set a storageClassName, or create a matching PersistentVolume.';
  }
  if (/quota|exceeded/i.test(message)) {
    return 'The storage backend refused the volume for quota reasons: free capacity or raise the quota.';
  }
  return `The provisioner${
    storageClass ? ` of StorageClass "${storageClass}"` : ''
  } failed: its message above names the cause; check the provisioner's logs and parameters.`;
}
