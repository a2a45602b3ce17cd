import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  AuditEntry,
  AuditVerification,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  MutableRefObject,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { KubecopilotApi, kubecopilotApiRef } from '../api';
import { PLANS_SIGNAL_CHANNEL, PlanSignal } from '../signals';

/** Audit entries asked for at a time; older ones load on demand. */
export const AUDIT_PAGE_SIZE = 50;
/** The backend's largest page: a refresh re-reads at most this many. */
const MAX_AUDIT_PAGE_SIZE = 1_000;

/** How often a plan that is still executing is asked for again. */
export const SETTLE_POLL_MS = 1500;
/**
 * How often a multi-step plan that is executing is asked for again: a
 * fallback for the signals, which announce every step change.
 */
export const STEPS_POLL_MS = 3000;

export type PlanCommand =
  | 'approve'
  | 'reject'
  | 'execute'
  | 'revert'
  | 'confirm'
  | 'decline';

function newIdempotencyKey(): string {
  const random = globalThis.crypto as Crypto | undefined;
  if (random && typeof random.randomUUID === 'function') {
    return random.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** What the plan-review hooks share: the API and which plan is current. */
interface PlanContext {
  api: KubecopilotApi;
  current: MutableRefObject<string | undefined>;
}

/** The plan's audit trail, its chain check and paging to older entries. */
function useAuditTrail({ api, current }: PlanContext) {
  const [audit, setAudit] = useState<AuditEntry[]>();
  // Where the older entries start, while there are any not loaded.
  const [olderAudit, setOlderAudit] = useState<string>();
  const [loadingOlderAudit, setLoadingOlderAudit] = useState(false);
  const [auditError, setAuditError] = useState<Error>();
  const [verification, setVerification] = useState<AuditVerification>();
  // How many entries are shown: a refresh reads as many again, newest
  // first, so the older pages already loaded stay without a gap.
  const shownAudit = useRef(0);
  shownAudit.current = audit?.length ?? 0;

  const loadAudit = useCallback(
    async (id: string) => {
      try {
        const [entries, check] = await Promise.all([
          api.getAudit({
            planId: id,
            limit: Math.min(
              Math.max(AUDIT_PAGE_SIZE, shownAudit.current),
              MAX_AUDIT_PAGE_SIZE,
            ),
          }),
          api.verifyAudit().catch(() => undefined),
        ]);
        if (current.current !== id) return;
        setAudit(entries.items);
        setOlderAudit(entries.nextCursor);
        setVerification(check);
        setAuditError(undefined);
      } catch (error) {
        if (current.current !== id) return;
        setAuditError(error as Error);
      }
    },
    [api, current],
  );

  const loadOlderAudit = useCallback(async () => {
    const id = current.current;
    if (!id || !olderAudit) return;
    setLoadingOlderAudit(true);
    try {
      const older = await api.getAudit({
        planId: id,
        cursor: olderAudit,
        limit: AUDIT_PAGE_SIZE,
      });
      if (current.current !== id) return;
      setAudit((shown = []) => {
        const ids = new Set(shown.map(e => e.id));
        return [...shown, ...older.items.filter(e => !ids.has(e.id))];
      });
      setOlderAudit(older.nextCursor);
    } catch (error) {
      if (current.current === id) setAuditError(error as Error);
    } finally {
      setLoadingOlderAudit(false);
    }
  }, [api, current, olderAudit]);

  /** Forgets the trail shown for the previous plan. */
  const resetAudit = useCallback(() => {
    setAudit(undefined);
    setOlderAudit(undefined);
    shownAudit.current = 0;
    setVerification(undefined);
  }, []);

  return {
    audit,
    olderAudit,
    loadingOlderAudit,
    auditError,
    verification,
    loadAudit,
    loadOlderAudit,
    resetAudit,
  };
}

/** The plan itself, and a reload that re-reads the audit trail when needed. */
function usePlanLoader(
  { api, current }: PlanContext,
  loadAudit: (id: string) => Promise<void>,
) {
  const [plan, setPlan] = useState<OperationPlan>();
  const [loadError, setLoadError] = useState<Error>();
  // What the audit trail was last loaded for: a poll that finds the plan
  // unchanged need not read (and verify) the audit chain again.
  const auditedRevision = useRef<string>();

  const reload = useCallback(
    async (options: { auditOnlyIfChanged?: boolean } = {}) => {
      const id = current.current;
      if (!id) return;
      let revision: string | undefined;
      try {
        const fresh = await api.getPlan(id);
        if (current.current !== id) return;
        setPlan(fresh);
        setLoadError(undefined);
        revision = `${fresh.id}:${fresh.status}:${fresh.revision}`;
      } catch (error) {
        if (current.current !== id) return;
        setLoadError(error as Error);
      }
      if (
        options.auditOnlyIfChanged &&
        revision !== undefined &&
        revision === auditedRevision.current
      ) {
        return;
      }
      auditedRevision.current = revision;
      await loadAudit(id);
    },
    [api, current, loadAudit],
  );

  /** Forgets the plan shown before. */
  const resetPlan = useCallback(() => {
    setPlan(undefined);
    setLoadError(undefined);
    auditedRevision.current = undefined;
  }, []);

  return { plan, setPlan, loadError, reload, resetPlan };
}

/**
 * Keeps an executing or paused plan fresh: polls while it executes and
 * reloads on every signal about it. Returns whether the plan is live.
 */
function useLiveRefresh(
  plan: OperationPlan | undefined,
  reload: (options?: { auditOnlyIfChanged?: boolean }) => Promise<void>,
  current: MutableRefObject<string | undefined>,
): boolean {
  // The execute call may answer before the rollout settles; a multi-step
  // plan runs its steps in the background for minutes.
  const executing = plan?.status === 'executing';
  const live = executing || plan?.status === 'paused';
  const multiStep = !!plan?.steps;
  useEffect(() => {
    if (!executing) return undefined;
    const timer = setInterval(
      () => {
        reload({ auditOnlyIfChanged: true });
      },
      multiStep ? STEPS_POLL_MS : SETTLE_POLL_MS,
    );
    return () => clearInterval(timer);
  }, [executing, multiStep, reload]);

  // Every step change is signalled: refresh at once instead of at the next
  // poll. A paused plan resumes when someone else confirms it.
  const { lastSignal } = useSignal<PlanSignal>(PLANS_SIGNAL_CHANNEL);
  const liveRef = useRef(live);
  liveRef.current = live;
  useEffect(() => {
    if (!lastSignal || !liveRef.current) return;
    if (lastSignal.planId !== current.current) return;
    reload({ auditOnlyIfChanged: true });
  }, [lastSignal, reload, current]);
  return live;
}

/** Sends one command to the server and returns the plan it answers. */
function sendCommand(
  api: KubecopilotApi,
  id: string,
  command: PlanCommand,
  comment: string | undefined,
  stepId: string | undefined,
  executeKey: MutableRefObject<{ planId: string; key: string } | undefined>,
): Promise<OperationPlan> {
  switch (command) {
    case 'approve':
      return api.approvePlan(id, comment || undefined);
    case 'reject':
      return api.rejectPlan(id, comment ?? '');
    case 'execute':
      if (executeKey.current?.planId !== id) {
        executeKey.current = { planId: id, key: newIdempotencyKey() };
      }
      return api.executePlan(id, executeKey.current.key);
    case 'confirm':
      return api.confirmStep(id, stepId ?? '', comment || undefined);
    case 'decline':
      return api.declineStep(id, stepId ?? '', comment ?? '');
    default:
      return api.revertPlan(id);
  }
}

/** The commands: which one is running, the last refusal, and `run`. */
function usePlanCommands(
  { api, current }: PlanContext,
  setPlan: (plan: OperationPlan) => void,
  loadAudit: (id: string) => Promise<void>,
  reload: () => Promise<void>,
) {
  const [busy, setBusy] = useState<PlanCommand>();
  const [commandError, setCommandError] = useState<{
    command: PlanCommand;
    error: Error;
  }>();
  // Set when execute answered 202: the steps run in the background.
  const [started, setStarted] = useState(false);
  // One key per plan confirmation: a retried click after a lost response
  // must not write twice.
  const executeKey = useRef<{ planId: string; key: string }>();

  const run = useCallback(
    async (command: PlanCommand, comment?: string, stepId?: string) => {
      const id = current.current;
      if (!id) return;
      setBusy(command);
      setCommandError(undefined);
      setStarted(false);
      try {
        const answer = await sendCommand(
          api,
          id,
          command,
          comment,
          stepId,
          executeKey,
        );
        // 202: a multi-step plan was claimed and runs in the background.
        if (
          command === 'execute' &&
          answer.status === 'executing' &&
          answer.steps
        ) {
          setStarted(true);
        }
        if (current.current === id) setPlan(answer);
        await loadAudit(id);
      } catch (error) {
        if (current.current !== id) return;
        setCommandError({ command, error: error as Error });
        // A refused command may still have changed the plan (a drift fails
        // it): show the server's view, not the one before the click.
        await reload();
      } finally {
        setBusy(undefined);
      }
    },
    [api, current, setPlan, loadAudit, reload],
  );

  /** Forgets the previous plan's command state. */
  const resetCommands = useCallback(() => {
    setCommandError(undefined);
    setStarted(false);
  }, []);

  return { busy, commandError, started, setStarted, run, resetCommands };
}

/**
 * One plan under review: the plan, its audit trail and the chain check, and
 * the commands. Never optimistic: after every command, and while the plan is
 * executing, it shows what the server answers.
 */
export function usePlanReview(planId: string | undefined) {
  const api = useApi(kubecopilotApiRef);
  const current = useRef(planId);
  current.current = planId;
  const context: PlanContext = { api, current };
  const trail = useAuditTrail(context);
  const { loadAudit, resetAudit } = trail;
  const { plan, setPlan, loadError, reload, resetPlan } = usePlanLoader(
    context,
    loadAudit,
  );
  const { busy, commandError, started, setStarted, run, resetCommands } =
    usePlanCommands(context, setPlan, loadAudit, reload);

  useEffect(() => {
    resetPlan();
    resetAudit();
    resetCommands();
    if (planId) {
      reload();
    }
  }, [planId, reload, resetPlan, resetAudit, resetCommands]);

  const live = useLiveRefresh(plan, reload, current);

  // The background-rollout notice lasts as long as the rollout.
  useEffect(() => {
    if (plan && !live) setStarted(false);
  }, [plan, live, setStarted]);

  return {
    plan,
    loadError,
    audit: trail.audit,
    /** Loads the next older page of the audit trail, when there is one. */
    loadOlderAudit: trail.olderAudit ? trail.loadOlderAudit : undefined,
    loadingOlderAudit: trail.loadingOlderAudit,
    auditError: trail.auditError,
    verification: trail.verification,
    busy,
    commandError,
    started,
    run,
    reload,
  };
}
