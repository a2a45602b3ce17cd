import { Content, Header, Page } from '@backstage/core-components';
import { InboxContent } from './InboxContent';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';

/**
 * The inbox inside the new frontend system's page, which brings its own
 * header but no content padding.
 */
export function InboxPageContent() {
  return (
    <Content>
      <InboxContent />
    </Content>
  );
}

/**
 * The approval inbox as a full page, for apps on the legacy frontend system
 * (the new system wraps {@link InboxContent} in its own page header).
 *
 * @public
 */
export function InboxPage() {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('inbox.title')} subtitle={t('inbox.subtitle')} />
      <Content>
        <InboxContent />
      </Content>
    </Page>
  );
}
