import type { Analyzer } from './types';
import { field, makeFinding, refOf } from './common';

const NAME = 'daemonset';

export const daemonSetAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['DaemonSet'],
  analyze(ctx) {
    return ctx.daemonsets.flatMap(ds => {
      const st = ds.status;
      const desired = st?.desiredNumberScheduled ?? 0;
      if (desired === 0) return [];
      const available = st?.numberAvailable ?? 0;
      const unavailable =
        st?.numberUnavailable ?? Math.max(0, desired - available);
      if (unavailable === 0) return [];
      const id = `DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}`;
      return [
        makeFinding(NAME, ctx, {
          code: 'DaemonSetUnavailable',
          severity: available === 0 ? 'critical' : 'warning',
          resource: refOf('DaemonSet', ds),
          message: `${id} is unavailable on ${unavailable} of ${desired} nodes.`,
          evidence: [
            field('status.desiredNumberScheduled', desired),
            field('status.numberReady', st?.numberReady ?? 0),
            field('status.numberAvailable', available),
            field('status.numberUnavailable', unavailable),
            ...(st?.numberMisscheduled
              ? [field('status.numberMisscheduled', st.numberMisscheduled)]
              : []),
          ],
          proposedFix: {
            description: `See the pod findings of ${ds.metadata?.name} for why its pods are not ready on those nodes (often a node-specific problem: taints, resources, or the node itself).`,
          },
        }),
      ];
    });
  },
};
