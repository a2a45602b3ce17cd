import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { Postmortem } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkoutEntity } from '../../__testUtils__/fixtures';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';

jest.setTimeout(60_000);

const BASE = 'http://localhost:7007/api/kubecopilot';

function postmortem(overrides: Partial<Postmortem> = {}): Postmortem {
  return {
    id: 'pm-1',
    version: 1,
    entityRef: 'component:default/checkout',
    from: '2026-12-07T00:00:00.000Z',
    to: '2026-12-07T01:00:00.000Z',
    title: 'Postmortem: checkout, 2026-12-07',
    impact: 'checkout: 1 finding(s) opened.',
    probableCause: { text: 'checkout is down', refs: ['diagnosis:d-1'] },
    actionsTaken: [],
    actionItems: [],
    timeline: [
      {
        at: '2026-12-07T00:10:00.000Z',
        source: 'finding',
        text: 'Finding opened (error): CrashLoopBackOff: Pod shop/checkout-1',
        ref: 'finding:abc',
      },
    ],
    auditVerification: { ok: true, checked: 11 },
    errors: [],
    markdown:
      '# Postmortem: checkout, 2026-12-07\n\n## Impact\n\ncheckout: 1 finding(s) opened.\n',
    createdBy: 'user:default/alice',
    createdAt: '2026-12-07T01:00:05.000Z',
    updatedBy: 'user:default/alice',
    updatedAt: '2026-12-07T01:00:05.000Z',
    ...overrides,
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

function render(fetch: jest.Mock, route?: string) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, { getBaseUrl: async () => BASE }],
        [fetchApiRef, { fetch }],
      ]}
    >
      <EntityProvider entity={checkoutEntity}>
        <EntityPostmortemsContent />
      </EntityProvider>
    </TestApiProvider>,
    route ? { routeEntries: [route] } : undefined,
  );
}

describe('EntityPostmortemsContent', () => {
  it('drafts a postmortem for the window and shows it rendered', async () => {
    const fetch = jest.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'POST') return json(201, postmortem());
      return json(200, { items: [] });
    });
    await render(fetch);
    expect(await screen.findByText('None yet.')).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/postmortems?entityRef=component%3Adefault%2Fcheckout`,
      { method: 'GET' },
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Draft postmortem' }),
    );
    const [, init] = fetch.mock.calls.find(([, i]) => i?.method === 'POST')!;
    const body = JSON.parse(init!.body as string);
    expect(body.entityRef).toBe('component:default/checkout');
    expect(Date.parse(body.to) - Date.parse(body.from)).toBeGreaterThan(
      23 * 3600_000,
    );
    expect(
      await screen.findByRole('heading', { name: 'Impact' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Audit chain verified (11 entries)'),
    ).toBeInTheDocument();
  });

  it('drafts for the window in the address, as a resolved finding links it', async () => {
    const fetch = jest.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? json(201, postmortem())
        : json(200, { items: [] }),
    );
    await render(
      fetch,
      '/?from=2026-12-06T23%3A55%3A00.000Z&to=2026-12-07T01%3A15%3A00.000Z',
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Draft postmortem' }),
    );
    const [, init] = fetch.mock.calls.find(([, i]) => i?.method === 'POST')!;
    // Minutes, as the form holds them.
    expect(JSON.parse(init!.body as string)).toMatchObject({
      from: '2026-12-06T23:55:00.000Z',
      to: '2026-12-07T01:15:00.000Z',
    });
  });

  it('saves an edit as a new version, and shows a conflict', async () => {
    let conflict = false;
    const fetch = jest.fn(async (_url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') {
        if (conflict) {
          return json(409, {
            error: {
              name: 'ConflictError',
              message: 'Postmortem pm-1 is at version 2, not 1',
            },
            request: { method: 'PUT', url: '/postmortems/pm-1' },
            response: { statusCode: 409 },
          });
        }
        const { markdown } = JSON.parse(init.body as string);
        return json(
          200,
          postmortem({ version: 2, markdown, updatedBy: 'user:default/bob' }),
        );
      }
      return json(200, { items: [postmortem()] });
    });
    await render(fetch);
    await userEvent.click(
      await screen.findByText('Postmortem: checkout, 2026-12-07', {
        selector: '.MuiListItemText-primary',
      }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const editor = screen.getByLabelText('Postmortem (Markdown)');
    await userEvent.type(editor, '## Lessons');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save as new version' }),
    );
    const put = fetch.mock.calls.find(([, i]) => i?.method === 'PUT')!;
    expect(put[0]).toBe(`${BASE}/postmortems/pm-1`);
    expect(JSON.parse(put[1]!.body as string)).toEqual({
      markdown: `${postmortem().markdown}## Lessons`,
      baseVersion: 1,
    });
    expect(
      await screen.findByText(/^Version 2, saved by user:default\/bob/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Lessons' }),
    ).toBeInTheDocument();

    conflict = true;
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.click(
      screen.getByRole('button', { name: 'Save as new version' }),
    );
    await waitFor(() =>
      expect(
        screen.getAllByText(/is at version 2, not 1/).length,
      ).toBeGreaterThan(0),
    );
  });
});
