import { PlansList } from '../PlansList';

/**
 * Every plan waiting for a decision across the portal, newest first.
 *
 * @public
 */
export function InboxContent() {
  return (
    <PlansList
      query={{ status: 'pending' }}
      title="Waiting for approval"
      showEntity
      emptyTitle="No plans wait for you"
      emptyDescription="Plans that need an approval show up here, newest first, as soon as someone creates one."
    />
  );
}
