import { translationApiRef } from '@backstage/frontend-plugin-api';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { FixInput } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { backendError, mockKubecopilotApi } from '../../__testUtils__/fixtures';
import { translationApiFor } from '../../__testUtils__/translationApi';
import {
  DiagnosisPlanButton,
  DiagnosisPlanRequest,
} from './DiagnosisPlanButton';
import { withAnswers } from './AskValuesDialog';

const ENV: FixInput = {
  kind: 'env',
  container: 'checkout',
  name: 'PAYMENT_GATEWAY_URL',
  path: ['containers', 'checkout', 'env', 'PAYMENT_GATEWAY_URL'],
};
const IMAGE: FixInput = {
  kind: 'image',
  container: 'app',
  path: ['containers', 'app', 'image'],
  initial: 'ghcr.io/acme/payments:v2.3.9',
};
const request = (asks: FixInput[]): DiagnosisPlanRequest => ({
  entityRef: 'component:default/checkout',
  action: 'update',
  resource: {
    kind: 'Deployment',
    namespace: 'shop',
    name: 'checkout',
    cluster: 'demo',
  },
  params: {},
  asks,
  rationale: 'Set PAYMENT_GATEWAY_URL on Deployment checkout.',
});

async function render(
  asks: FixInput[],
  api = mockKubecopilotApi(),
  extra: any[] = [],
  params: Record<string, unknown> = {},
) {
  await renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, api], ...extra] as any}>
      <DiagnosisPlanButton request={{ ...request(asks), params }} />
    </TestApiProvider>,
    {
      routeEntries: [
        '/catalog/default/component/checkout/kubecopilot-diagnose',
      ],
    },
  );
  return api;
}

describe('a fix that needs a value only a person knows', () => {
  it('asks for the missing variable, then drafts the update with it', async () => {
    const api = mockKubecopilotApi();
    api.createPlan.mockResolvedValue({ id: 'p-1' } as any);
    await render([ENV], api);
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    const dialog = screen.getByRole('dialog', {
      name: 'What should the plan set?',
    });
    expect(dialog).toHaveTextContent(
      'Only you know this value. The plan shows it in its diff, and nothing changes until the plan is approved and executed.',
    );
    const submit = within(dialog).getByRole('button', { name: 'Create plan' });
    expect(submit).toBeDisabled();
    expect(api.createPlan).not.toHaveBeenCalled();
    await userEvent.type(
      within(dialog).getByRole('textbox', {
        name: 'Value of PAYMENT_GATEWAY_URL (container checkout)',
      }),
      ' https://payments.shop.svc:8443 ',
    );
    await userEvent.click(submit);
    await waitFor(() => expect(api.createPlan).toHaveBeenCalledTimes(1));
    expect(api.createPlan).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
      action: 'update',
      resource: {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        cluster: 'demo',
      },
      params: {
        containers: {
          checkout: {
            env: { PAYMENT_GATEWAY_URL: 'https://payments.shop.svc:8443' },
          },
        },
      },
      rationale: 'Set PAYMENT_GATEWAY_URL on Deployment checkout.',
    });
  });

  it("shows the backend's refusal in the dialog and keeps what was typed", async () => {
    const api = mockKubecopilotApi();
    api.createPlan.mockRejectedValue(
      await backendError(
        400,
        'InputError',
        'the new value of PAYMENT_GATEWAY_URL (container checkout) looks like a credential; plans never hold secrets: put it in a Secret and reference it with env[].valueFrom.secretKeyRef',
      ),
    );
    await render([ENV], api);
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    const dialog = screen.getByRole('dialog');
    const field = within(dialog).getByRole('textbox');
    await userEvent.type(field, 'https://user:hunter2@pay.local');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create plan' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not create the plan: the new value of PAYMENT_GATEWAY_URL (container checkout) looks like a credential',
    );
    expect(field).toHaveValue('https://user:hunter2@pay.local');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('starts an image from the one that fails and wants another', async () => {
    const api = mockKubecopilotApi();
    api.createPlan.mockResolvedValue({ id: 'p-2' } as any);
    await render([IMAGE], api);
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    const dialog = screen.getByRole('dialog');
    const field = within(dialog).getByRole('textbox', {
      name: 'Image of container app',
    });
    expect(field).toHaveValue('ghcr.io/acme/payments:v2.3.9');
    expect(dialog).toHaveTextContent(
      'This is the image that fails; type one that exists.',
    );
    const submit = within(dialog).getByRole('button', { name: 'Create plan' });
    expect(submit).toBeDisabled();
    await userEvent.clear(field);
    await userEvent.type(field, 'ghcr.io/acme/payments:v2.3.8');
    expect(submit).toBeEnabled();
    await userEvent.click(submit);
    await waitFor(() =>
      expect(api.createPlan).toHaveBeenCalledWith(
        expect.objectContaining({
          params: {
            containers: { app: { image: 'ghcr.io/acme/payments:v2.3.8' } },
          },
        }),
      ),
    );
  });

  it('asks for a smaller request, checking it is a quantity, and keeps the other resources', async () => {
    const api = mockKubecopilotApi();
    api.createPlan.mockResolvedValue({ id: 'p-3' } as any);
    const resources = {
      limits: { cpu: '500m', memory: '12Gi' },
      requests: { cpu: '250m', memory: '12Gi' },
    };
    await render(
      [
        {
          kind: 'resource',
          container: 'indexer',
          name: 'requests.memory',
          path: ['containers', 'indexer', 'resources', 'requests', 'memory'],
          initial: '12Gi',
        },
      ],
      api,
      [],
      { containers: { indexer: { resources } } },
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    const dialog = screen.getByRole('dialog');
    const field = within(dialog).getByRole('textbox', {
      name: 'Memory request of container indexer',
    });
    expect(field).toHaveValue('12Gi');
    expect(dialog).toHaveTextContent(
      'This is the request no node has room for; type a smaller one.',
    );
    const submit = within(dialog).getByRole('button', { name: 'Create plan' });
    await userEvent.clear(field);
    await userEvent.type(field, 'eight gigs');
    expect(dialog).toHaveTextContent(
      'Not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 1Gi).',
    );
    expect(submit).toBeDisabled();
    await userEvent.clear(field);
    await userEvent.type(field, '8Gi');
    await userEvent.click(submit);
    await waitFor(() =>
      expect(api.createPlan).toHaveBeenCalledWith(
        expect.objectContaining({
          params: {
            containers: {
              indexer: {
                resources: {
                  limits: { cpu: '500m', memory: '12Gi' },
                  requests: { cpu: '250m', memory: '8Gi' },
                },
              },
            },
          },
        }),
      ),
    );
  });

  it('asks in Chinese for a Chinese reader', async () => {
    await render([ENV], mockKubecopilotApi(), [
      [translationApiRef, await translationApiFor('zh-CN')],
    ]);
    await userEvent.click(screen.getByRole('button', { name: '创建计划' }));
    expect(
      screen.getByRole('dialog', { name: '计划应设置什么值？' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('textbox', {
        name: 'PAYMENT_GATEWAY_URL 的值（容器 checkout）',
      }),
    ).toBeInTheDocument();
  });
});

describe('withAnswers', () => {
  it('sets each value at its path, beside what params hold', () => {
    expect(
      withAnswers(
        { replicas: 2, containers: { checkout: { image: 'a:1' } } },
        [ENV],
        ['https://x'],
      ),
    ).toEqual({
      replicas: 2,
      containers: {
        checkout: { image: 'a:1', env: { PAYMENT_GATEWAY_URL: 'https://x' } },
      },
    });
  });
});
