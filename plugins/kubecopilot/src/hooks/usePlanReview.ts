import { useApi } from '@backstage/frontend-plugin-api';
import {
  AuditEntry,
  AuditVerification,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { kubecopilotApiRef } from '../api';

/** How often a plan that is still executing is asked for again. */
export const SETTLE_POLL_MS = 1500;

export type PlanCommand = 'approve' | 'reject' | 'execute' | 'revert';

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
  const [auditError, setAuditError] = useState<Error>();
  const [verification, setVerification] = useState<AuditVerification>();
  const [busy, setBusy] = useState<PlanCommand>();
  const [commandError, setCommandError] = useState<{
    command: PlanCommand;
    error: Error;
  }>();
  // One key per plan confirmation: a retried click after a lost response
  // must not write twice.
  const executeKey = useRef<{ planId: string; key: string }>();
  const current = useRef(planId);
  current.current = planId;

  const loadAudit = useCallback(
    async (id: string) => {
      try {
        const [entries, check] = await Promise.all([
          api.getAudit({ planId: id }),
          api.verifyAudit().catch(() => undefined),
        ]);
        if (current.current !== id) return;
        setAudit(entries.items);
        setVerification(check);
        setAuditError(undefined);
      } catch (error) {
        if (current.current !== id) return;
        setAuditError(error as Error);
      }
    },
    [api],
  );

  const reload = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    try {
      const fresh = await api.getPlan(id);
      if (current.current !== id) return;
      setPlan(fresh);
      setLoadError(undefined);
    } catch (error) {
      if (current.current !== id) return;
      setLoadError(error as Error);
    }
    await loadAudit(id);
  }, [api, loadAudit]);

  useEffect(() => {
    setPlan(undefined);
    setLoadError(undefined);
    setAudit(undefined);
    setVerification(undefined);
    setCommandError(undefined);
    if (planId) {
      reload();
    }
  }, [planId, reload]);

  // The execute call may answer before the rollout settles.
  const executing = plan?.status === 'executing';
  useEffect(() => {
    if (!executing) return undefined;
    const timer = setInterval(() => {
      reload();
    }, SETTLE_POLL_MS);
    return () => clearInterval(timer);
  }, [executing, reload]);

  const run = useCallback(
    async (command: PlanCommand, comment?: string) => {
      const id = current.current;
      if (!id) return;
      setBusy(command);
      setCommandError(undefined);
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
            break;
          }
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
    auditError,
    verification,
    busy,
    commandError,
    run,
    reload,
  };
}
