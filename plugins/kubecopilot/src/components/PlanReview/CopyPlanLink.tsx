import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { kubecopilotTranslationRef } from '../../translation';

/** Where a plan is reviewed: the approval inbox, opened on the plan. */
export function planReviewUrl(planId: string, origin: string): string {
  return `${origin}/kubecopilot/inbox?plan=${encodeURIComponent(planId)}`;
}

/**
 * The hand-off of a plan that waits for someone else's approval: copies the
 * link to its review in the inbox, to paste into a chat or a ticket (the
 * approvers are notified as well).
 */
export function CopyPlanLink(props: { planId: string }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const url = planReviewUrl(props.planId, window.location.origin);
  const copy = async () => {
    try {
      await window.navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, a denied permission): the link
      // is shown in the button's title to copy by hand.
      setCopied('failed');
    }
  };
  let label: string = t('reviewBar.copyLink');
  if (copied === 'yes') label = t('reviewBar.linkCopied');
  if (copied === 'failed') label = t('reviewBar.linkNotCopied');
  return (
    <Button
      size="small"
      onClick={copy}
      title={url}
      style={{ marginRight: 'auto' }}
    >
      {label}
    </Button>
  );
}
