import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { mockKubecopilotApi } from '../../__testUtils__/fixtures';
import { DiagnosisHistory } from '../DiagnosisHistory';
import { DiagnosisResult } from '../DiagnosisResult';
import { linkedDiagnosis } from './__testUtils__/linkedDiagnosis';
import { groupByCause } from './RootCause';

const HEADLINE =
  'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set';
const NOTE =
  'A restart alone will not help: the container exits the same way after every restart.';

function render(d = linkedDiagnosis()) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, mockKubecopilotApi()]]}>
      <DiagnosisResult diagnosis={d} />
    </TestApiProvider>,
  );
}

describe('root cause first', () => {
  it('links the cause out to the Kubernetes tab, where the pod and its full logs are', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[kubecopilotApiRef, mockKubecopilotApi()]]}>
        <DiagnosisResult diagnosis={linkedDiagnosis()} />
      </TestApiProvider>,
      {
        routeEntries: [
          '/catalog/default/component/checkout/kubecopilot-diagnose',
        ],
      },
    );
    const cause = screen.getAllByRole('region', { name: /^finding / })[0];
    const link = within(cause).getAllByRole('link', {
      name: 'Pod and its logs in the Kubernetes tab',
    })[0];
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kubernetes',
    );
    // Symptoms about other objects (folded away) link there too, in their own words.
    const symptomLinks = within(cause).getAllByText(
      'Open in the Kubernetes tab',
    );
    expect(symptomLinks).toHaveLength(2);
    expect(symptomLinks[0].closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kubernetes',
    );
  }, 20_000);

  it('leads with one body-size sentence naming the cause, with severity chips', async () => {
    await render();
    const headline = screen.getByTestId('diagnosis-headline');
    expect(headline).toHaveTextContent(HEADLINE);
    expect(headline.tagName).toBe('P');
    expect(
      screen.queryByRole('heading', { name: /Found 3 problems/ }),
    ).toBeNull();
    expect(screen.queryByText(/Found 3 problems/)).toBeNull();
    expect(screen.getByText('1 critical')).toBeInTheDocument();
    expect(screen.getByText('2 error')).toBeInTheDocument();
  });

  it('shows the cause first and folds its symptoms under it', async () => {
    await render();
    const causes = screen.getAllByRole('region', { name: /^finding / });
    expect(causes.map(c => c.getAttribute('aria-label'))).toEqual([
      'finding CrashLoopBackOff',
    ]);
    const cause = within(causes[0]);
    expect(
      cause.getByText(
        /Its log says: Error: Missing required environment variable PAYMENT_GATEWAY_URL/,
      ),
    ).toBeInTheDocument();
    const fold = cause.getByRole('button', {
      name: 'What it causes (2): DeploymentUnavailable, ServiceNoEndpoints',
    });
    expect(fold).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(fold);
    expect(fold).toHaveAttribute('aria-expanded', 'true');
    const symptom = cause.getByRole('listitem', {
      name: 'symptom DeploymentUnavailable',
    });
    expect(
      within(symptom).getByText(
        'Deployment shop/checkout has no available replicas (0 of 1): it serves no traffic.',
      ),
    ).toBeVisible();
    expect(
      cause.getByRole('listitem', { name: 'symptom ServiceNoEndpoints' }),
    ).toBeInTheDocument();
  });

  it('says plainly that a restart alone will not help, and offers no restart', async () => {
    await render();
    const cause = within(
      screen.getByRole('region', { name: 'finding CrashLoopBackOff' }),
    );
    expect(cause.getByText(NOTE)).toBeInTheDocument();
    expect(
      cause.getByText(/Set PAYMENT_GATEWAY_URL on Deployment checkout\./),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /restart/i })).toBeNull();
    // The plan that fixes it asks for the value first.
    await userEvent.click(cause.getByRole('button', { name: 'Create plan' }));
    expect(
      screen.getByRole('textbox', {
        name: 'Value of PAYMENT_GATEWAY_URL (container checkout)',
      }),
    ).toHaveValue('');
    // The fix is said once, beside its cause, not again as a recommendation.
    expect(screen.getAllByText(NOTE)).toHaveLength(1);
    expect(screen.queryByText('Recommendations')).toBeNull();
  });

  it('keeps the evidence folded under its cause, log excerpt included', async () => {
    await render();
    const cause = within(
      screen.getByRole('region', { name: 'finding CrashLoopBackOff' }),
    );
    const fold = cause.getByRole('button', { name: 'Evidence (3)' });
    expect(fold).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(fold);
    expect(cause.getByLabelText('log excerpt')).toHaveTextContent(
      'Error: Missing required environment variable PAYMENT_GATEWAY_URL',
    );
  });

  it('names the same crash in another replica once, under the first', () => {
    const d = linkedDiagnosis();
    const other = {
      ...d.findings[0],
      id: 'other',
      resource: { ...d.findings[0].resource, name: 'checkout-zfglkrn22-abcde' },
    };
    const groups = groupByCause([...d.findings, other]);
    expect(groups).toHaveLength(1);
    expect(groups[0].alsoIn.map(f => f.resource.name)).toEqual([
      'checkout-zfglkrn22-abcde',
    ]);
    expect(groups[0].symptoms.map(f => f.code)).toEqual([
      'DeploymentUnavailable',
      'ServiceNoEndpoints',
    ]);
  });

  it('names each recent diagnosis by its headline', async () => {
    await renderInTestApp(
      <DiagnosisHistory
        items={[linkedDiagnosis()]}
        selectedId="diag-linked"
        onSelect={() => {}}
      />,
    );
    expect(
      within(screen.getByRole('list', { name: 'recent diagnoses' })).getByText(
        HEADLINE,
      ),
    ).toBeInTheDocument();
  });

  it('gives a healthy diagnosis a calm green "All workloads healthy" with what was checked', async () => {
    await render(
      linkedDiagnosis({
        summary:
          'No problems found: 1 pod and its workloads in cluster demo look healthy.',
        headline: undefined,
        findings: [],
        recommendations: [],
      }),
    );
    const healthy = screen.getByTestId('diagnosis-healthy');
    expect(healthy).toHaveTextContent('All workloads healthy');
    expect(healthy).toHaveTextContent(
      'No problems found: 1 pod and its workloads in cluster demo look healthy.',
    );
    expect(healthy.className).toMatch(/standardSuccess/);
  });
});
