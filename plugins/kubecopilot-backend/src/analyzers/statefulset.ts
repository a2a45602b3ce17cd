import type { Analyzer } from './types';
import { field, makeFinding, refOf } from './common';

const NAME = 'statefulset';

export const statefulSetAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['StatefulSet'],
  analyze(ctx) {
    return ctx.statefulsets.flatMap(s => {
      const desired = s.spec?.replicas ?? 1;
      if (desired === 0) return [];
      const ready = s.status?.readyReplicas ?? 0;
      // availableReplicas honours minReadySeconds; older servers omit it.
      const available = s.status?.availableReplicas ?? ready;
      if (available >= desired) return [];
      const id = `StatefulSet ${s.metadata?.namespace}/${s.metadata?.name}`;
      const rolling =
        s.status?.updateRevision !== undefined &&
        s.status.currentRevision !== s.status.updateRevision;
      return [
        makeFinding(NAME, ctx, {
          code: 'StatefulSetUnavailable',
          severity: available === 0 ? 'critical' : 'warning',
          resource: refOf('StatefulSet', s),
          message: `${id} has ${available} of ${desired} replicas available${
            rolling
              ? ` while rolling out revision ${s.status!.updateRevision}`
              : ''
          }.`,
          evidence: [
            field('spec.replicas', desired),
            field('status.readyReplicas', ready),
            field('status.availableReplicas', available),
            ...(rolling
              ? [
                  field(
                    'status.currentRevision',
                    s.status!.currentRevision ?? '',
                  ),
                  field(
                    'status.updateRevision',
                    s.status!.updateRevision ?? '',
                  ),
                ]
              : []),
          ],
          proposedFix: {
            // With OrderedReady (the default) one stuck pod holds back every later ordinal.
            description:
              s.spec?.podManagementPolicy === 'Parallel'
                ? `See the pod findings of ${s.metadata?.name} for why its pods are not ready.`
                : `StatefulSet pods start one at a time: find the first pod of ${s.metadata?.name} that is not ready (see its pod findings) and fix it; every later pod waits for it.`,
          },
        }),
      ];
    });
  },
};
