import { translationApiRef } from '@backstage/frontend-plugin-api';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  mockKubecopilotApi,
  workload,
  workloadsResponse,
} from '../../__testUtils__/fixtures';
import { translationApiFor } from '../../__testUtils__/translationApi';
import { DeploymentPickerField } from './DeploymentPickerField';

const CHECKOUT = 'component:default/checkout';

const checkoutWorkloads = () =>
  workloadsResponse({
    workloads: [
      workload({
        name: 'checkout',
        ready: 0,
        desired: 1,
        images: ['ghcr.io/kubecopilot-demo/checkout:2.3.1'],
      }),
      workload({
        name: 'checkout-worker',
        cluster: 'eu-west',
        ready: 2,
        desired: 2,
        images: ['ghcr.io/kubecopilot-demo/worker:1.0.0', 'envoy:1.30'],
      }),
      workload({
        kind: 'StatefulSet',
        name: 'checkout-db',
        ready: 1,
        desired: 1,
        images: ['postgres:16'],
      }),
    ],
  });

/**
 * The field as the scaffolder's form holds it: the values of every field
 * so far in `formContext.formData`, this field's value in `formData`.
 */
function Form(props: {
  entity?: string;
  initial?: string;
  uiOptions?: Record<string, unknown>;
  onValue: (value: string | undefined) => void;
}) {
  const [entity, setEntity] = useState(props.entity);
  const [value, setValue] = useState(props.initial);
  const field = props.uiOptions?.entityField ?? 'entity';
  const anyProps = {
    formData: value,
    onChange: (v: string | undefined) => {
      setValue(v);
      props.onValue(v);
    },
    required: true,
    rawErrors: [],
    schema: {
      title: 'Deployment',
      type: 'string',
      description: 'The Deployment that gets the new image',
    },
    uiSchema: props.uiOptions ? { 'ui:options': props.uiOptions } : {},
    idSchema: { $id: 'root_workload' },
    formContext: { formData: { [field as string]: entity, workload: value } },
  } as any;
  return (
    <>
      <button onClick={() => setEntity('component:default/payments')}>
        change service
      </button>
      <DeploymentPickerField {...anyProps} />
    </>
  );
}

async function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  props: Partial<Parameters<typeof Form>[0]> = {},
  language: 'en' | 'zh-CN' = 'en',
) {
  const onValue = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [translationApiRef, await translationApiFor(language)],
      ]}
    >
      <Form entity={CHECKOUT} onValue={onValue} {...props} />
    </TestApiProvider>,
  );
  return onValue;
}

async function openList() {
  await userEvent.click(screen.getByRole('textbox', { name: /Deployment/ }));
  return screen.findByRole('listbox');
}

describe('DeploymentPickerField', () => {
  it("lists the chosen service's Deployments with where they run, readiness and image", async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(checkoutWorkloads());
    const onValue = await render(api);

    const list = await openList();
    expect(api.getWorkloads).toHaveBeenCalledWith(CHECKOUT);
    const options = within(list).getAllByRole('option');
    // Deployments only, by default: not the StatefulSet.
    expect(options.map(o => o.textContent)).toEqual([
      'checkoutshop · cluster demo · 0/1 ready · ghcr.io/kubecopilot-demo/checkout:2.3.1',
      'checkout-workershop · cluster eu-west · 2/2 ready · ghcr.io/kubecopilot-demo/worker:1.0.0, envoy:1.30',
    ]);

    await userEvent.click(options[0]);
    expect(onValue).toHaveBeenLastCalledWith('checkout');
    expect(screen.getByRole('textbox', { name: /Deployment/ })).toHaveValue(
      'checkout',
    );
    // What was picked stays visible under the field.
    expect(
      screen.getByText(
        'shop · cluster demo · 0/1 ready · ghcr.io/kubecopilot-demo/checkout:2.3.1',
      ),
    ).toBeInTheDocument();
  });

  it('reads the entity from the field `entityField` names and offers the `kinds` asked for', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(checkoutWorkloads());
    await render(api, {
      uiOptions: { entityField: 'service', kinds: ['StatefulSet'] },
    });

    const list = await openList();
    expect(
      within(list)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'checkout-dbStatefulSet · shop · cluster demo · 1/1 ready · postgres:16',
    ]);
  });

  it('asks for the service first, and reads nothing, while none is chosen', async () => {
    const api = mockKubecopilotApi();
    await render(api, { entity: undefined });

    expect(screen.getByText('Choose the service first')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Deployment/ })).toBeDisabled();
    expect(api.getWorkloads).not.toHaveBeenCalled();
  });

  it('says it is reading while the workloads load', async () => {
    const api = mockKubecopilotApi(); // never settles
    await render(api);

    expect(
      screen.getByText(`Reading the workloads of ${CHECKOUT}…`),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Deployment/ })).toBeEnabled();
  });

  it('says when the service has no Deployment, and takes a typed name', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        workloads: [workload({ kind: 'StatefulSet', name: 'checkout-db' })],
      }),
    );
    const onValue = await render(api);

    expect(
      await screen.findByText(
        `No Deployment found for ${CHECKOUT} in its clusters. Type the name if you know it.`,
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Deployment/ }),
      'checkout',
    );
    expect(onValue).toHaveBeenLastCalledWith('checkout');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it.each([
    [403, 'NotAllowedError', 'You may not read the workloads of this entity'],
    [500, 'Error', 'The cluster did not answer in 10 s'],
  ])(
    'falls back to a text input with the error shown when reading fails (%i)',
    async (status, name, message) => {
      const api = mockKubecopilotApi();
      api.getWorkloads.mockRejectedValue(
        await backendError(status, name, message),
      );
      const onValue = await render(api);

      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent(
        `Could not read the workloads of ${CHECKOUT}:`,
      );
      expect(alert).toHaveTextContent(`${message} (${status})`);
      expect(alert).toHaveTextContent('Type the name instead.');
      const input = screen.getByRole('textbox', { name: /Deployment/ });
      await userEvent.type(input, 'checkout');
      expect(onValue).toHaveBeenLastCalledWith('checkout');
      // The template's own description still explains the field.
      expect(
        screen.getByText('The Deployment that gets the new image'),
      ).toBeInTheDocument();
    },
  );

  it('falls back to a text input when the backend is unreachable', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockRejectedValue(new TypeError('Failed to fetch'));
    await render(api);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Could not read the workloads of ${CHECKOUT}: Failed to fetch. Type the name instead.`,
    );
    expect(screen.getByRole('textbox', { name: /Deployment/ })).toBeEnabled();
  });

  it('lists what it could read when a cluster fails, and still takes a typed name', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        clusters: ['demo', 'eu-west'],
        workloads: [workload({ name: 'checkout', ready: 1, desired: 1 })],
        errors: [{ cluster: 'eu-west', message: 'connect ETIMEDOUT' }],
      }),
    );
    const onValue = await render(api);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Cluster eu-west could not be read (connect ETIMEDOUT): its workloads are missing from the list; a name can be typed.',
    );
    const list = await openList();
    expect(within(list).getAllByRole('option')).toHaveLength(1);
    await userEvent.type(
      screen.getByRole('textbox', { name: /Deployment/ }),
      'checkout-eu',
    );
    expect(onValue).toHaveBeenLastCalledWith('checkout-eu');
  });

  it('clears the chosen Deployment when the service changes', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(checkoutWorkloads());
    const onValue = await render(api, { initial: 'checkout' });

    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: /Deployment/ })).toHaveValue(
        'checkout',
      ),
    );
    expect(onValue).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'change service' }));
    await waitFor(() => expect(onValue).toHaveBeenLastCalledWith(undefined));
    expect(api.getWorkloads).toHaveBeenLastCalledWith(
      'component:default/payments',
    );
  });

  it('speaks Chinese', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(checkoutWorkloads());
    await render(api, {}, 'zh-CN');

    const list = await openList();
    expect(within(list).getAllByRole('option')[0]).toHaveTextContent(
      'shop · 集群 demo · 0/1 就绪 · ghcr.io/kubecopilot-demo/checkout:2.3.1',
    );
  });
});
