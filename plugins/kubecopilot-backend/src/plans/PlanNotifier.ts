import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** The signals channel the frontend subscribes to for live plan updates. */
export const PLAN_SIGNAL_CHANNEL = 'kubecopilot:plans';

/** Tells people about plans. Failures are logged, never fail the change. */
export interface PlanNotifier {
  /** A plan waits for a decision: the entity's owners are told. */
  planWaiting(plan: OperationPlan, ownerRef?: string): Promise<void>;
  /** A plan was approved, rejected, executed, failed or reverted. */
  planChanged(plan: OperationPlan, ownerRef?: string): Promise<void>;
  /** A step of a multi-step plan moved: only a live-update signal, no notification. */
  planProgress?(plan: OperationPlan): Promise<void>;
}

/** Notifications (inbox, e-mail processors…) plus signals for live updates. */
export class BackstagePlanNotifier implements PlanNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      signals?: SignalsService;
      logger: LoggerService;
    },
  ) {}

  async planWaiting(plan: OperationPlan, ownerRef?: string) {
    await this.#send(plan, ownerRef ? [ownerRef] : [], {
      title: `Plan waits for approval: ${plan.action} ${plan.resource.kind} ${plan.resource.name}`,
      description: `${plan.audit.requestedBy} asks to ${plan.action} ${
        plan.resource.kind
      } ${plan.resource.namespace ?? ''}/${plan.resource.name} in cluster ${
        plan.resource.cluster
      }. Risk: ${plan.risk.level}.${
        plan.requestedVia
          ? ` An AI agent${
              plan.requestedVia.channel === 'mcp' ? ' (over MCP)' : ''
            } drafted it for them; only a person can approve it.`
          : ''
      }`,
      severity: plan.risk.level === 'high' ? 'high' : 'normal',
    });
  }

  async planChanged(plan: OperationPlan, ownerRef?: string) {
    const recipients = [plan.audit.requestedBy];
    await this.#send(
      plan,
      recipients,
      {
        title: `Plan ${plan.status}: ${plan.action} ${plan.resource.kind} ${plan.resource.name}`,
        description:
          plan.status === 'failed' && plan.error
            ? `The plan failed: ${plan.error}`
            : `The plan to ${plan.action} ${plan.resource.kind} ${plan.resource.name} is now ${plan.status}.`,
        severity: plan.status === 'failed' ? 'high' : 'normal',
      },
      ownerRef,
    );
  }

  async planProgress(plan: OperationPlan) {
    await this.#signal(plan);
  }

  async #send(
    plan: OperationPlan,
    entityRefs: string[],
    payload: {
      title: string;
      description: string;
      severity: 'high' | 'normal';
    },
    alsoSignal?: string,
  ) {
    const link = `/kubecopilot/inbox?plan=${encodeURIComponent(plan.id)}`;
    try {
      if (this.options.notifications && entityRefs.length > 0) {
        await this.options.notifications.send({
          recipients: { type: 'entity', entityRef: entityRefs },
          payload: {
            ...payload,
            link,
            topic: `kubecopilot-plan-${plan.id}`,
            scope: plan.id,
          },
        });
      }
    } catch (error) {
      this.options.logger.warn(
        `Could not notify about plan ${plan.id}: ${error}`,
      );
    }
    await this.#signal(plan, alsoSignal);
  }

  async #signal(plan: OperationPlan, ownerRef?: string) {
    try {
      await this.options.signals?.publish({
        recipients: { type: 'broadcast' },
        channel: PLAN_SIGNAL_CHANNEL,
        message: {
          planId: plan.id,
          status: plan.status,
          entityRef: plan.entityRef,
          ...(ownerRef ? { ownerRef } : {}),
        },
      });
    } catch (error) {
      this.options.logger.warn(`Could not signal plan ${plan.id}: ${error}`);
    }
  }
}
