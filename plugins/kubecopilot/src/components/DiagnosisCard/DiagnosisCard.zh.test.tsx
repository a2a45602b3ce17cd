import { translationApiRef } from '@backstage/frontend-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { kubecopilotApiRef } from '../../api';
import { translationApiFor } from '../../__testUtils__/translationApi';
import { DiagnosisCard } from './DiagnosisCard';
import { withHistory } from './__testUtils__/render';
import { linkedDiagnosis } from './__testUtils__/linkedDiagnosis';

async function renderInChinese(api: ReturnType<typeof withHistory>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [permissionApiRef, mockApis.permission()],
        [translationApiRef, await translationApiFor('zh-CN')],
      ]}
    >
      <DiagnosisCard entityRef="component:default/checkout" />
    </TestApiProvider>,
  );
}

// The first render in a suite loads the whole test app; slow on a busy machine.
jest.setTimeout(20_000);

describe('DiagnosisCard in Chinese (zh-CN)', () => {
  it('invites to the first diagnosis in Chinese', async () => {
    await renderInChinese(withHistory());
    expect(await screen.findByText('尚无诊断')).toBeInTheDocument();
    expect(
      screen.getByText(/点击“诊断”分析 component:default\/checkout 的工作负载/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '诊断' })).toBeEnabled();
    expect(screen.getByText('AI 诊断')).toBeInTheDocument();
  });

  it('shows a diagnosis with Chinese headings, severities and counts; the cluster’s own words stay as they are', async () => {
    await renderInChinese(withHistory(linkedDiagnosis()));
    expect(
      await screen.findByRole('heading', { name: '发现的问题' }),
    ).toBeInTheDocument();
    const cause = screen.getAllByRole('region', { name: /^发现 / })[0];
    expect(within(cause).getByText('解决办法：')).toBeInTheDocument();
    expect(within(cause).getByText('证据（3）')).toBeInTheDocument();
    expect(
      within(cause).getByText(
        '由此引发（2）：DeploymentUnavailable, ServiceNoEndpoints',
      ),
    ).toBeInTheDocument();
    expect(within(cause).getByText(/^日志摘录，来自/)).toBeInTheDocument();
    expect(screen.getByText('1 个严重')).toBeInTheDocument();
    expect(screen.getByText('最近的诊断')).toBeInTheDocument();
    // Not a single English UI word left in the headings.
    expect(screen.queryByText('Findings')).not.toBeInTheDocument();
    expect(screen.queryByText('Recent diagnoses')).not.toBeInTheDocument();
  });
});
