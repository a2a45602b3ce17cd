import type {
  CoreV1Event,
  V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import {
  ago,
  eventEvidence,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  nowOf,
  refOf,
  timeOf,
} from './common';

const NAME = 'pvc';

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** Why a Pending claim will not bind on its own, with what shows it. */
export interface PendingCause {
  reason: string;
  evidence: FindingEvidence[];
  /** The latest event message that names the cause, for the advice. */
  detail: string;
}

function isDefaultClass(sc: {
  metadata?: { annotations?: Record<string, string> };
}): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some(
    a => sc.metadata?.annotations?.[a] === 'true',
  );
}

/**
 * Why a Pending claim is stuck, or undefined while Pending is by design: a
 * fresh claim while its provisioner works, a WaitForFirstConsumer claim
 * until a pod uses it. A Warning (ProvisioningFailed) is a fault; so is a
 * claim that names no StorageClass in a cluster without a default one, or
 * a StorageClass that does not exist (when the classes were read), or the
 * binder's "no persistent volumes available … and no storage class is set".
 */
export function pendingCause(
  ctx: AnalysisContext,
  pvc: V1PersistentVolumeClaim,
): PendingCause | undefined {
  if (pvc.status?.phase !== 'Pending') return undefined;
  const events = eventsFor(
    ctx,
    'PersistentVolumeClaim',
    pvc.metadata?.namespace,
    pvc.metadata?.name ?? '',
  );
  const warnings = events.filter(e => e.type === 'Warning');
  const sc = pvc.spec?.storageClassName;
  const scEvidence = field('spec.storageClassName', sc ?? '(unset)');
  const evOf = (list: CoreV1Event[]) =>
    latestEvents(list, 2).map(eventEvidence);
  if (warnings.length > 0) {
    const latest = warnings[warnings.length - 1];
    const detail = latest.message ?? latest.reason ?? '';
    return {
      reason: detail,
      detail,
      evidence: [scEvidence, ...evOf(warnings)],
    };
  }
  const classes = ctx.storageclasses;
  if (sc && classes && !classes.some(c => c.metadata?.name === sc)) {
    return {
      reason: `StorageClass "${sc}" does not exist`,
      detail: `storageclass.storage.k8s.io "${sc}" not found`,
      evidence: [
        scEvidence,
        field(
          'storageclasses',
          classes.map(c => c.metadata?.name).join(', ') || 'none',
        ),
      ],
    };
  }
  const noVolumes = events.filter(
    e =>
      e.reason === 'FailedBinding' &&
      /no persistent volumes available/i.test(e.message ?? ''),
  );
  if (sc === undefined && classes && !classes.some(isDefaultClass)) {
    return {
      reason:
        'it names no StorageClass and the cluster has no default StorageClass, so nothing provisions a volume for it',
      detail: 'no storage class is set',
      evidence: [
        scEvidence,
        field(
          'storageclasses (default)',
          classes.length === 0
            ? 'none'
            : `${classes
                .map(c => c.metadata?.name)
                .join(', ')} (none marked default)`,
        ),
        ...evOf(noVolumes),
      ],
    };
  }
  if (noVolumes.length > 0) {
    const latest = noVolumes[noVolumes.length - 1];
    return {
      reason: latest.message ?? 'no PersistentVolume matches it',
      detail: latest.message ?? '',
      evidence: [scEvidence, ...evOf(noVolumes)],
    };
  }
  return provisionerStuck(ctx, pvc, events, scEvidence);
}

/**
 * How long an external provisioner may take before a claim waiting for it
 * is stuck rather than slow: cloud disks are made within a minute or two.
 */
const PROVISIONING_STUCK_MS = 5 * 60_000;

const EXTERNAL_PROVISIONER = /external provisioner ['"]([^'"]+)['"]/i;

/**
 * A claim the binder handed to an external provisioner (Normal
 * ExternalProvisioning events) that got no volume for minutes and no
 * Warning either: the provisioner is not installed, not running, or not
 * registered — on EKS the EBS CSI driver add-on missing is the usual case.
 */
function provisionerStuck(
  ctx: AnalysisContext,
  pvc: V1PersistentVolumeClaim,
  events: CoreV1Event[],
  scEvidence: FindingEvidence,
): PendingCause | undefined {
  const waiting = events.filter(e => e.reason === 'ExternalProvisioning');
  if (waiting.length === 0) return undefined;
  const since = Math.min(
    ...waiting.map(e => timeOf(e.firstTimestamp ?? e.eventTime)),
  );
  const waited =
    nowOf(ctx) - (since || timeOf(pvc.metadata?.creationTimestamp));
  if (!(waited > PROVISIONING_STUCK_MS)) return undefined;
  const provisioner =
    EXTERNAL_PROVISIONER.exec(waiting[waiting.length - 1].message ?? '')?.[1] ??
    pvc.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner'];
  const started = events.some(e => e.reason === 'Provisioning');
  const who = provisioner
    ? `the external provisioner "${provisioner}"`
    : 'the external provisioner';
  return {
    reason: `${who} has not created a volume in ${ago(waited)}${
      started
        ? ' although it started provisioning'
        : ', and never reported picking the claim up'
    }`,
    detail: `provisioner stuck: ${provisioner ?? ''}`,
    evidence: [
      scEvidence,
      ...(provisioner
        ? [
            field(
              'metadata.annotations[volume.kubernetes.io/storage-provisioner]',
              provisioner,
            ),
          ]
        : []),
      ...latestEvents(waiting, 1).map(eventEvidence),
    ],
  };
}

export const pvcAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['PersistentVolumeClaim'],
  analyze(ctx) {
    return ctx.pvcs.flatMap(pvc => {
      if (pvc.status?.phase === 'Lost') return [lostFinding(ctx, pvc)];
      const cause = pendingCause(ctx, pvc);
      if (!cause) return [];
      const namespace = pvc.metadata?.namespace;
      const sc = pvc.spec?.storageClassName;
      return [
        makeFinding(NAME, ctx, {
          code: 'PvcPending',
          severity: 'error',
          resource: refOf('PersistentVolumeClaim', pvc),
          message: `PersistentVolumeClaim ${namespace}/${pvc.metadata?.name} is stuck Pending: ${cause.reason}`,
          evidence: [field('status.phase', 'Pending'), ...cause.evidence],
          proposedFix: { description: pvcAdvice(cause.detail, sc) },
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
    return 'No PersistentVolume matches and no StorageClass can provision one: set a storageClassName (or mark a StorageClass as the default), or create a matching PersistentVolume. The field is immutable, so recreate the claim.';
  }
  if (message.startsWith('provisioner stuck: ')) {
    const name = message.slice('provisioner stuck: '.length);
    return `Check that ${
      name ? `the provisioner "${name}"` : "the StorageClass's provisioner"
    } is installed and running (its controller pods and logs; kubectl get csidrivers) — on EKS, the Amazon EBS CSI driver add-on and its IAM role. The claim binds by itself once a volume is created; restarting the pods will not help.`;
  }
  if (/quota|exceeded/i.test(message)) {
    return 'The storage backend refused the volume for quota reasons: free capacity or raise the quota.';
  }
  return `The provisioner${
    storageClass ? ` of StorageClass "${storageClass}"` : ''
  } failed: its message above names the cause; check the provisioner's logs and parameters.`;
}

/**
 * A claim whose bound PersistentVolume no longer exists: the binder never
 * rebinds it, and pods using it cannot be scheduled ("bound to
 * non-existent pv(s)"). Only a person knows whether the data can be
 * restored, so no plan is offered.
 */
function lostFinding(
  ctx: AnalysisContext,
  pvc: V1PersistentVolumeClaim,
): Finding {
  const namespace = pvc.metadata?.namespace;
  const name = pvc.metadata?.name ?? '';
  const volume = pvc.spec?.volumeName;
  const lost = eventsFor(ctx, 'PersistentVolumeClaim', namespace, name).filter(
    e => e.reason === 'ClaimLost',
  );
  return makeFinding(NAME, ctx, {
    code: 'PvcLost',
    severity: 'error',
    resource: refOf('PersistentVolumeClaim', pvc),
    message: `PersistentVolumeClaim ${namespace}/${name} is Lost: its PersistentVolume${
      volume ? ` ${volume}` : ''
    } no longer exists. Pods that mount it cannot be scheduled, and its data is gone unless the volume is restored.`,
    evidence: [
      field('status.phase', 'Lost'),
      field('spec.volumeName', volume ?? '(unset)'),
      ...latestEvents(lost, 1).map(eventEvidence),
    ],
    proposedFix: {
      description: `Restore PersistentVolume ${
        volume ?? 'of the claim'
      } from a backup or snapshot (same name, with a claimRef to ${namespace}/${name}) so the claim binds again; or, if the data may be lost, delete and recreate the claim so a new volume is provisioned. No plan can do this, and restarting the pods will not help.`,
    },
  });
}
