import { Content, Header, Page } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { FindingsContent } from './FindingsContent';

/** The findings inside the new frontend system's page (it brings the header). */
export function FindingsPageContent() {
  return (
    <Content>
      <FindingsContent />
    </Content>
  );
}

/**
 * Open findings across the portal as a full page, for apps on the legacy
 * frontend system.
 *
 * @public
 */
export function FindingsPage() {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Page themeId="tool">
      <Header
        title={t('findingsPage.title')}
        subtitle={t('findingsPage.subtitle')}
      />
      <Content>
        <FindingsContent />
      </Content>
    </Page>
  );
}
