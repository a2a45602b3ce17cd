import { renderInTestApp } from '@backstage/test-utils';
import { ConfigReference } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, within } from '@testing-library/react';
import { workload } from '../../__testUtils__/fixtures';
import { WorkloadsTable } from '../WorkloadsTable';
import { ConfigRelations, referenceStatus } from './ConfigRelations';

const ref = (over: Partial<ConfigReference>): ConfigReference => ({
  kind: 'Secret',
  name: 'shop-db',
  via: ['env'],
  containers: ['storefront'],
  optional: false,
  exists: true,
  keys: [],
  ...over,
});

describe('referenceStatus', () => {
  it('puts what keeps pods from starting first', () => {
    expect(referenceStatus(ref({ exists: false }))).toBe('missing');
    expect(referenceStatus(ref({ exists: false, optional: true }))).toBe(
      'optionalAbsent',
    );
    expect(
      referenceStatus(ref({ keys: [{ name: 'passwd', exists: false }] })),
    ).toBe('missingKeys');
    expect(
      referenceStatus(
        ref({ exists: null, message: 'no permission to read it' }),
      ),
    ).toBe('unknown');
    expect(
      referenceStatus(ref({ keys: [{ name: 'username', exists: true }] })),
    ).toBe('ok');
  });
});

describe('ConfigRelations', () => {
  it('highlights a missing object and a missing key, problems first, and names Secrets only by name and keys', async () => {
    await renderInTestApp(
      <ConfigRelations
        references={[
          ref({
            kind: 'ConfigMap',
            name: 'shop-config',
            keys: [{ name: 'LOG_LEVEL', exists: true }],
            objectKeys: ['LOG_LEVEL'],
          }),
          ref({
            keys: [
              { name: 'username', exists: true },
              { name: 'passwd', exists: false },
            ],
            objectKeys: ['password', 'username'],
          }),
          ref({
            kind: 'ConfigMap',
            name: 'shop-flags',
            via: ['envFrom'],
            exists: false,
          }),
        ]}
      />,
    );
    const chips = screen.getAllByLabelText(/^(Secret|ConfigMap) /);
    expect(chips.map(c => c.getAttribute('aria-label'))).toEqual([
      'ConfigMap shop-flags: missing',
      'Secret shop-db: missing key passwd',
      'ConfigMap shop-config',
    ]);
    expect(chips.map(c => c.getAttribute('data-status'))).toEqual([
      'missing',
      'missingKeys',
      'ok',
    ]);
    expect(screen.getByText('shop-flags · missing')).toBeInTheDocument();
  });

  it('shows a dash without references', async () => {
    await renderInTestApp(<ConfigRelations references={[]} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });

  it('adds a Config column to the workloads table when the backend reports references', async () => {
    await renderInTestApp(
      <WorkloadsTable
        clusters={['demo']}
        workloads={[
          workload({ config: [ref({ exists: false, name: 'orders-db' })] }),
        ]}
      />,
    );
    expect(
      screen.getByRole('columnheader', { name: 'Config' }),
    ).toBeInTheDocument();
    const row = screen.getByText('checkout').closest('tr')!;
    expect(
      within(row).getByLabelText('Secret orders-db: missing'),
    ).toHaveAttribute('data-status', 'missing');
  });

  it('keeps the table as it was when no references are reported', async () => {
    await renderInTestApp(
      <WorkloadsTable clusters={['demo']} workloads={[workload()]} />,
    );
    expect(
      screen.queryByRole('columnheader', { name: 'Config' }),
    ).not.toBeInTheDocument();
  });
});
