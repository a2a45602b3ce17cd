import { renderInTestApp } from '@backstage/test-utils';
import { render, screen, within } from '@testing-library/react';
import { workload } from '../../__testUtils__/fixtures';
import {
  BreakableImage,
  WorkloadsTable,
  workloadHealth,
} from './WorkloadsTable';

describe('workloadHealth', () => {
  it('follows the current state: all replicas ready is never failing', () => {
    expect(
      workloadHealth(workload({ ready: 1, desired: 1, reasons: [] })),
    ).toBe('healthy');
    expect(
      workloadHealth(workload({ ready: 1, desired: 1, reasons: ['Error'] })),
    ).toBe('warning');
    expect(
      workloadHealth(
        workload({ ready: 0, desired: 1, reasons: ['CrashLoopBackOff'] }),
      ),
    ).toBe('failing');
    expect(
      workloadHealth(
        workload({ ready: 1, desired: 2, reasons: ['ContainerCreating'] }),
      ),
    ).toBe('degraded');
    expect(
      workloadHealth(workload({ ready: 0, desired: 0, reasons: [] })),
    ).toBe('idle');
  });
});

describe('WorkloadsTable', () => {
  it('shows "1/1 ready" with a warning, not a red failure, after an earlier crash', async () => {
    await renderInTestApp(
      <WorkloadsTable
        workloads={[workload({ ready: 1, desired: 1, reasons: ['Error'] })]}
        clusters={['demo']}
      />,
    );
    const status = screen.getByTitle(
      'Ready, but pods reported problems recently',
    );
    expect(status).toHaveTextContent('1/1 ready');
    expect(
      within(status).queryByLabelText('Status error'),
    ).not.toBeInTheDocument();
    expect(screen.queryByTitle('Failing')).not.toBeInTheDocument();
  });

  it('lets an image reference wrap only between its parts', () => {
    const { container } = render(
      <BreakableImage image="ghcr.io/kubecopilot-demo/checkout:2.3.1" />,
    );
    expect(container).toHaveTextContent(
      'ghcr.io/kubecopilot-demo/checkout:2.3.1',
    );
    // break opportunities after "/" and ":", none inside a name
    expect(container.innerHTML).toBe(
      'ghcr.io/<wbr>kubecopilot-demo/<wbr>checkout:<wbr>2.3.1',
    );
  });
});
