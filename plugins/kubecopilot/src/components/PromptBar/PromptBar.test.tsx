import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  mockKubecopilotApi,
  plan,
} from '../../__testUtils__/fixtures';
import { PromptBar } from './PromptBar';

const entityRef = 'component:default/checkout';

async function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  onPlanCreated = jest.fn(),
) {
  await renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
      <button>elsewhere</button>
      <PromptBar entityRef={entityRef} onPlanCreated={onPlanCreated} />
    </TestApiProvider>,
  );
  return onPlanCreated;
}

const field = () => screen.getByLabelText('Ask KubeCopilot');

describe('PromptBar', () => {
  it('focuses on "/" and answers a read question with a table', async () => {
    const api = mockKubecopilotApi();
    api.query.mockResolvedValue({
      type: 'resources',
      question: 'show pods in CrashLoopBackOff',
      understood: 'pods in CrashLoopBackOff',
      items: [
        {
          cluster: 'demo',
          kind: 'Pod',
          namespace: 'shop',
          name: 'checkout-7d9-abc',
          status: 'CrashLoopBackOff',
          restarts: 14,
        },
      ],
      errors: [],
    });
    await render(api);
    screen.getByText('elsewhere').focus();
    await userEvent.keyboard('/');
    expect(field()).toHaveFocus();
    await userEvent.keyboard('show pods in CrashLoopBackOff{Enter}');
    expect(api.query).toHaveBeenCalledWith(
      entityRef,
      'show pods in CrashLoopBackOff',
    );
    expect(
      await screen.findByText('Understood: pods in CrashLoopBackOff'),
    ).toBeInTheDocument();
    expect(screen.getByText('checkout-7d9-abc')).toBeInTheDocument();
    expect(screen.getByText('1 result')).toBeInTheDocument();
  });

  it('shows what it understood before drafting a plan, then hands the plan over', async () => {
    const api = mockKubecopilotApi();
    api.query.mockResolvedValue({
      type: 'intent',
      question: 'restart checkout',
      understood: 'restart Deployment checkout',
      action: 'restart',
      target: { kind: 'Deployment', name: 'checkout' },
      params: {},
    });
    api.createPlan.mockResolvedValue(plan({ id: 'drafted' }));
    const onPlanCreated = await render(api);
    await userEvent.type(field(), 'restart checkout{Enter}');
    expect(await screen.findByTestId('prompt-intent')).toHaveTextContent(
      'Understood: restart Deployment checkout',
    );
    expect(api.createPlan).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Draft plan' }));
    expect(api.createPlan).toHaveBeenCalledWith({
      entityRef,
      intent: 'restart checkout',
    });
    expect(onPlanCreated).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'drafted' }),
    );
  });

  it('shows the backend’s advice inline when it cannot understand', async () => {
    const api = mockKubecopilotApi();
    api.query.mockRejectedValue(
      await backendError(
        400,
        'InputError',
        'could not understand "frobnicate"; Try "restart checkout"',
      ),
    );
    await render(api);
    await userEvent.type(field(), 'frobnicate{Enter}');
    expect(await screen.findByTestId('prompt-error')).toHaveTextContent(
      'could not understand "frobnicate"; Try "restart checkout"',
    );
  });

  it('recalls earlier questions with ↑ and ↓', async () => {
    const api = mockKubecopilotApi();
    api.query.mockResolvedValue({
      type: 'resources',
      question: 'q',
      understood: 'q',
      items: [],
      errors: [],
    });
    await render(api);
    await userEvent.type(field(), 'first{Enter}');
    await userEvent.clear(field());
    await userEvent.type(field(), 'second{Enter}');
    await userEvent.clear(field());
    await userEvent.keyboard('{ArrowUp}');
    expect(field()).toHaveValue('second');
    await userEvent.keyboard('{ArrowUp}');
    expect(field()).toHaveValue('first');
    await userEvent.keyboard('{ArrowDown}');
    expect(field()).toHaveValue('second');
  });
});
