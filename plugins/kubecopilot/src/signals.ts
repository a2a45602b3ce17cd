/** The channel the backend signals on whenever a plan changes. */
export const PLANS_SIGNAL_CHANNEL = 'kubecopilot:plans';

/** What the backend sends on {@link PLANS_SIGNAL_CHANNEL}. */
export type PlanSignal = {
  planId?: string;
  status?: string;
};
