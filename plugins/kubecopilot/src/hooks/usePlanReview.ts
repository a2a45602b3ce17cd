import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  AuditEntry,
  AuditVerification,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { kubecopilotApiRef } from '../api';
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

/**
 * One plan under review: the plan, its audit trail and the chain check, and
 * the commands. Never optimistic: after every command, and while the plan is
 * executing, it shows what the server answers.
 */
export function usePlanReview(planId: string | undefined) {
  const api = useApi(kubecopilotApiRef);
  const [plan, setPlan] = useState<OperationPlan>();
  const [loadError, setLoadError] = useState<Error>();
  const [audit, setAudit] = useState<AuditEntry[]>();
  // Where the older entries start, while there are any not loaded.
  const [olderAudit, setOlderAudit] = useState<string>();
  const [loadingOlderAudit, setLoadingOlderAudit] = useState(false);
  const [auditError, setAuditError] = useState<Error>();
  const [verification, setVerification] = useState<AuditVerification>();
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
  const current = useRef(planId);
  current.current = planId;
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
    [api],
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
  }, [api, olderAudit]);

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
    [api, loadAudit],
  );

  useEffect(() => {
    setPlan(undefined);
    setLoadError(undefined);
    setAudit(undefined);
    setOlderAudit(undefined);
    shownAudit.current = 0;
    setVerification(undefined);
    setCommandError(undefined);
    setStarted(false);
    auditedRevision.current = undefined;
    if (planId) {
      reload();
    }
  }, [planId, reload]);

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
  }, [lastSignal, reload]);

  // The background-rollout notice lasts as long as the rollout.
  useEffect(() => {
    if (plan && !live) setStarted(false);
  }, [plan, live]);

  const run = useCallback(
    async (command: PlanCommand, comment?: string, stepId?: string) => {
      const id = current.current;
      if (!id) return;
      setBusy(command);
      setCommandError(undefined);
      setStarted(false);
      try {
        let answer: OperationPlan;
        switch (command) {
          case 'approve':
            answer = await api.approvePlan(id, comment || undefined);
            break;
          case 'reject':
            answer = await api.rejectPlan(id, comment ?? '');
            break;
          case 'execute': {
            if (executeKey.current?.planId !== id) {
              executeKey.current = { planId: id, key: newIdempotencyKey() };
            }
            answer = await api.executePlan(id, executeKey.current.key);
            // 202: a multi-step plan was claimed and runs in the background.
            if (answer.status === 'executing' && answer.steps) {
              setStarted(true);
            }
            break;
          }
          case 'confirm':
            answer = await api.confirmStep(id, stepId ?? '', comment || undefined);
            break;
          case 'decline':
            answer = await api.declineStep(id, stepId ?? '', comment ?? '');
            break;
          default:
            answer = await api.revertPlan(id);
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
    [api, loadAudit, reload],
  );

  return {
    plan,
    loadError,
    audit,
    /** Loads the next older page of the audit trail, when there is one. */
    loadOlderAudit: olderAudit ? loadOlderAudit : undefined,
    loadingOlderAudit,
    auditError,
    verification,
    busy,
    commandError,
    started,
    run,
    reload,
  };
}
