import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * The plan under review lives in the URL (`?plan=<id>`), so a notification,
 * a diagnosis's "Create plan" button or a shared link can open it.
 */
export function usePlanParam(): [
  string | undefined,
  (id: string | undefined) => void,
] {
  const [searchParams, setSearchParams] = useSearchParams();
  const planId = searchParams.get('plan') ?? undefined;
  const setPlanId = useCallback(
    (id: string | undefined) => {
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          if (id) {
            next.set('plan', id);
          } else {
            next.delete('plan');
          }
          return next;
        },
        { replace: !id },
      );
    },
    [setSearchParams],
  );
  return [planId, setPlanId];
}
