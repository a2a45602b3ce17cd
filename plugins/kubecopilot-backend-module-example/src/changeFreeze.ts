import type { KubecopilotRiskRule } from '@kubecopilot/backstage-plugin-kubecopilot-backend';

/** A calendar window in which every change is high risk. */
export interface ChangeFreeze {
  name: string;
  start: Date;
  end: Date;
}

/**
 * Every plan drafted during a configured freeze window is high risk, so it
 * needs whatever `kubecopilot.approval.secondApproverFor` asks of high.
 * Outside the windows it says nothing: it never lowers a level.
 */
export function createChangeFreezeRule(options: {
  freezes: ChangeFreeze[];
  now?: () => Date;
}): KubecopilotRiskRule {
  const now = options.now ?? (() => new Date());
  return {
    name: 'example/change-freeze',
    description: 'Plans drafted during a change freeze are high risk.',
    evaluate() {
      const at = now().getTime();
      const freeze = options.freezes.find(
        f => f.start.getTime() <= at && at < f.end.getTime(),
      );
      return freeze
        ? {
            level: 'high',
            message: `change freeze '${
              freeze.name
            }' until ${freeze.end.toISOString()}: only changes that cannot wait`,
          }
        : undefined;
    },
  };
}
