import { Content, Header, Page } from '@backstage/core-components';
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
  return (
    <Page themeId="tool">
      <Header
        title="Findings"
        subtitle="What the findings scan found wrong, across the portal"
      />
      <Content>
        <FindingsContent />
      </Content>
    </Page>
  );
}
