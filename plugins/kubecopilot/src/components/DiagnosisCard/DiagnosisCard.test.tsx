import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  mockKubecopilotApi,
  plan,
} from '../../__testUtils__/fixtures';
import { DiagnosisCard } from './DiagnosisCard';
import { diagnosis } from './__testUtils__/diagnoses';
import { renderCard as render, withHistory } from './__testUtils__/render';

describe('DiagnosisCard', () => {
  it('shows progress while the recent diagnoses load', async () => {
    const api = mockKubecopilotApi();
    await render(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.listDiagnoses).toHaveBeenCalledWith(
      'component:default/checkout',
      10,
    );
  });

  it('invites to run the first diagnosis when there is none', async () => {
    await render(withHistory());
    expect(await screen.findByText('No diagnosis yet')).toBeInTheDocument();
    expect(screen.getByText(/Press Diagnose to analyse/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Diagnose' })).toBeEnabled();
  });

  it('shows the newest diagnosis on load: summary, root cause, Rules badge and why the LLM was not used', async () => {
    await render(
      withHistory(
        diagnosis({ fallbackReason: 'the model timed out after 30 s' }),
        diagnosis({ id: 'diag-0', summary: 'An older diagnosis' }),
      ),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'checkout is crash-looping on a missing DATABASE_URL',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/DATABASE_URL is unset/, { selector: 'p' }),
    ).toHaveTextContent(
      'Root cause: The container exits 1 at start because DATABASE_URL is unset.',
    );
    expect(screen.getByLabelText('answered by Rules')).toBeInTheDocument();
    expect(
      screen.getByText(
        /The LLM was not used: the model timed out after 30 s\./,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Partial diagnosis/)).not.toBeInTheDocument();
    expect(screen.queryByText(/Token usage/)).not.toBeInTheDocument();
  });

  it('names the model and prompt version of an AI answer and its token usage', async () => {
    await render(
      withHistory(
        diagnosis({
          source: 'llm',
          model: 'gpt-4o-mini',
          promptVersion: 'diagnose-v3',
          usage: {
            promptTokens: 1200,
            completionTokens: 180,
            rawContextChars: 48000,
            sentContextChars: 12000,
          },
        }),
      ),
    );
    expect(
      await screen.findByLabelText('answered by AI (gpt-4o-mini, diagnose-v3)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Token usage: 1,200 prompt + 180 completion tokens; context sent 12,000 of 48,000 characters (25%)',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/The LLM was not used/)).not.toBeInTheDocument();
  });

  it('lists what is missing from a partial diagnosis', async () => {
    await render(
      withHistory(
        diagnosis({
          errors: [
            'cluster demo-eu: timed out after 10000 ms',
            'logs of checkout-7d9f-abcde/app: 403 Forbidden',
          ],
        }),
      ),
    );
    expect(
      await screen.findByText(
        'Warning: Partial diagnosis: 2 parts could not be gathered',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('cluster demo-eu: timed out after 10000 ms'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('logs of checkout-7d9f-abcde/app: 403 Forbidden'),
    ).toBeInTheDocument();
  });

  it('groups findings by workload with severity, evidence, log excerpt and proposed fix', async () => {
    await render(withHistory(diagnosis()));

    const deployment = within(
      await screen.findByRole('region', { name: 'Deployment checkout' }),
    );
    expect(
      deployment.getByText('shop · demo · 2 findings'),
    ).toBeInTheDocument();
    expect(deployment.getByText('critical')).toBeInTheDocument();
    expect(deployment.getByText('error')).toBeInTheDocument();
    expect(
      deployment.getByText('Pod shop/checkout-7d9f-abcde · container app'),
    ).toBeInTheDocument();
    expect(
      deployment.getByText(
        'Container app is in CrashLoopBackOff (14 restarts)',
      ),
    ).toBeInTheDocument();
    expect(
      deployment.getByText(
        'status.containerStatuses[app].lastState.terminated.exitCode',
      ),
    ).toBeInTheDocument();
    expect(deployment.getByText('BackOff')).toBeInTheDocument();
    expect(
      deployment.getByText(/×42: Back-off restarting failed container app/),
    ).toBeInTheDocument();
    const log = deployment.getByLabelText('log excerpt');
    expect(log.tagName).toBe('PRE');
    expect(log.textContent).toBe(
      'Starting checkout 1.4.2\nError: DATABASE_URL is not set',
    );
    expect(
      deployment.getByText('Restart checkout once DATABASE_URL is set'),
    ).toBeInTheDocument();
    expect(
      deployment.getAllByRole('button', { name: 'Create plan' }),
    ).toHaveLength(1);

    const service = within(
      screen.getByRole('region', { name: 'Service checkout-svc' }),
    );
    expect(service.getByText('ServiceNoEndpoints')).toBeInTheDocument();
    expect(service.getByText('warning')).toBeInTheDocument();

    // The most severe workload comes first.
    const regions = screen
      .getAllByRole('region')
      .map(r => r.getAttribute('aria-label'));
    expect(regions).toEqual(['Deployment checkout', 'Service checkout-svc']);
  });

  it('turns a recommendation into a plan and opens it on the Operation Plans tab', async () => {
    const api = withHistory(diagnosis());
    api.createPlan.mockResolvedValue(plan({ id: 'plan-42' }));
    await render(api);

    const recommendations = within(
      await screen.findByRole('list', { name: 'recommendations' }),
    );
    // Only the recommendation with an action and a target can become a plan.
    const buttons = recommendations.getAllByRole('button', {
      name: 'Create plan',
    });
    expect(buttons).toHaveLength(1);
    await userEvent.click(buttons[0]);

    expect(api.createPlan).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
      action: 'update',
      resource: {
        cluster: 'demo',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
      },
      params: { container: 'app', image: 'ghcr.io/kubecopilot/checkout:1.4.1' },
      rationale:
        'Roll back checkout to 1.4.1\n\nImage 1.4.1 ran without DATABASE_URL errors.',
    });
    expect(await screen.findByTestId('plans-tab')).toHaveTextContent(
      '?plan=plan-42',
    );
  });

  it('turns a finding’s proposed fix into a plan on the finding’s cluster', async () => {
    const api = withHistory(diagnosis());
    api.createPlan.mockResolvedValue(plan({ id: 'plan-7' }));
    await render(api);

    const deployment = within(
      await screen.findByRole('region', { name: 'Deployment checkout' }),
    );
    await userEvent.click(
      deployment.getByRole('button', { name: 'Create plan' }),
    );
    expect(api.createPlan).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
      action: 'restart',
      resource: {
        cluster: 'demo',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
      },
      params: {},
      rationale:
        'Restart checkout once DATABASE_URL is set\n\nCrashLoopBackOff: Container app is in CrashLoopBackOff (14 restarts)',
    });
    expect(await screen.findByTestId('plans-tab')).toHaveTextContent(
      '?plan=plan-7',
    );
  });

  it('shows why a plan could not be created, next to the button', async () => {
    const api = withHistory(diagnosis());
    api.createPlan.mockRejectedValue(
      await backendError(
        400,
        'InputError',
        'update is not allowed on Deployment shop/checkout in cluster demo',
      ),
    );
    await render(api);

    const recommendations = within(
      await screen.findByRole('list', { name: 'recommendations' }),
    );
    await userEvent.click(
      recommendations.getByRole('button', { name: 'Create plan' }),
    );
    expect(await recommendations.findByRole('alert')).toHaveTextContent(
      'Could not create the plan: update is not allowed on Deployment shop/checkout in cluster demo',
    );
    expect(screen.queryByTestId('plans-tab')).not.toBeInTheDocument();
    expect(
      recommendations.getByRole('button', { name: 'Create plan' }),
    ).toBeEnabled();
  });

  it('runs a diagnosis with visible progress and shows the result first in the history', async () => {
    const api = withHistory(diagnosis({ id: 'diag-0', summary: 'Yesterday' }));
    let finish: (d: ReturnType<typeof diagnosis>) => void = () => {};
    api.diagnose.mockReturnValue(
      new Promise(resolve => {
        finish = resolve;
      }),
    );
    await render(api);
    await screen.findByRole('heading', { name: 'Yesterday' });

    await userEvent.click(screen.getByRole('button', { name: 'Diagnose' }));
    expect(api.diagnose).toHaveBeenCalledWith('component:default/checkout');
    expect(screen.getByRole('button', { name: 'Diagnosing…' })).toBeDisabled();
    expect(screen.getByLabelText('Diagnosing')).toBeInTheDocument();
    expect(
      screen.getByText(/This can take several seconds/),
    ).toBeInTheDocument();

    finish(diagnosis({ id: 'diag-new', summary: 'Just now: crash-looping' }));
    expect(
      await screen.findByRole('heading', { name: 'Just now: crash-looping' }),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Diagnosing')).not.toBeInTheDocument();
    const history = within(
      screen.getByRole('list', { name: 'recent diagnoses' }),
    );
    const entries = history.getAllByRole('button');
    expect(entries.map(e => e.textContent)).toEqual([
      expect.stringContaining('Just now: crash-looping'),
      expect.stringContaining('Yesterday'),
    ]);
  });

  it('shows a failed diagnosis and keeps the previous one on screen', async () => {
    const api = withHistory(diagnosis({ summary: 'Yesterday' }));
    api.diagnose.mockRejectedValue(
      await backendError(
        503,
        'ServiceUnavailableError',
        'cluster demo is down',
      ),
    );
    await render(api);
    await screen.findByRole('heading', { name: 'Yesterday' });
    await userEvent.click(screen.getByRole('button', { name: 'Diagnose' }));

    expect(
      await screen.findByText('Error: Diagnosis failed'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/cluster demo is down/)[0]).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Yesterday' }),
    ).toBeInTheDocument();
  });

  it('disables Diagnose, rather than failing, in an app without a permission API', async () => {
    const api = withHistory(diagnosis());
    await renderInTestApp(
      <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
        <DiagnosisCard entityRef="component:default/checkout" />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('heading', {
        name: 'checkout is crash-looping on a missing DATABASE_URL',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Diagnose' })).toBeDisabled();
  });

  it('shows the diagnosis picked from the recent ones', async () => {
    await render(
      withHistory(
        diagnosis({ id: 'diag-2', summary: 'Today: crash-looping' }),
        diagnosis({
          id: 'diag-1',
          summary: 'Last week: image pull failed',
          source: 'llm',
          model: 'llama3.1',
          createdAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
        }),
      ),
    );
    expect(
      await screen.findByRole('heading', { name: 'Today: crash-looping' }),
    ).toBeInTheDocument();
    const history = within(
      screen.getByRole('list', { name: 'recent diagnoses' }),
    );
    expect(history.getByText('10 minutes ago · Rules')).toBeInTheDocument();
    expect(history.getByText('7 days ago · AI')).toBeInTheDocument();

    await userEvent.click(history.getByText('Last week: image pull failed'));
    expect(
      screen.getByRole('heading', { name: 'Last week: image pull failed' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Today: crash-looping' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByLabelText('answered by AI (llama3.1)'),
    ).toBeInTheDocument();
  });

  it('offers to reload the recent diagnoses when they cannot be read', async () => {
    const api = mockKubecopilotApi();
    api.listDiagnoses.mockRejectedValueOnce(
      await backendError(500, 'Error', 'database is locked'),
    );
    await render(api);
    expect(
      await screen.findByText('Error: Could not load recent diagnoses'),
    ).toBeInTheDocument();

    api.listDiagnoses.mockResolvedValueOnce({ items: [diagnosis()] });
    await userEvent.click(
      screen.getByRole('button', { name: 'Reload diagnoses' }),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'checkout is crash-looping on a missing DATABASE_URL',
      }),
    ).toBeInTheDocument();
  });
});
