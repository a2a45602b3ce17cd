import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { ReactNode } from 'react';
import { kubecopilotApiRef } from '../../api';
import { mockKubecopilotApi } from '../../__testUtils__/fixtures';
import { screen } from '@testing-library/react';
import { diagnosis } from '../DiagnosisCard/__testUtils__/diagnoses';
import { DiagnosisResult } from './DiagnosisResult';

function renderWithApi(element: ReactNode) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, mockKubecopilotApi()]]}>
      {element}
    </TestApiProvider>,
  );
}

describe('DiagnosisResult', () => {
  it('gives a healthy diagnosis a calm green state instead of an empty findings section', async () => {
    await renderWithApi(
      <DiagnosisResult
        diagnosis={diagnosis({
          summary: 'checkout looks healthy',
          rootCause: undefined,
          findings: [],
          recommendations: [],
          errors: [],
        })}
      />,
    );
    const healthy = screen.getByTestId('diagnosis-healthy');
    expect(healthy).toHaveTextContent('checkout looks healthy');
    expect(healthy).toHaveTextContent(
      'The analyzers found nothing wrong with these workloads; there is nothing to fix.',
    );
    expect(healthy.className).toMatch(/standardSuccess/);
    expect(screen.queryByText('Findings')).not.toBeInTheDocument();
  });

  it('shows recovered and in-progress states as calm notes under the green state', async () => {
    await renderWithApi(
      <DiagnosisResult
        diagnosis={diagnosis({
          summary: 'No problems found in checkout; 2 notes.',
          rootCause: undefined,
          headline: undefined,
          findings: [
            {
              analyzer: 'pod',
              code: 'ContainerRecovered',
              severity: 'info',
              cluster: 'demo',
              resource: {
                kind: 'Pod',
                namespace: 'shop',
                name: 'checkout-7d9f-abcde',
              },
              container: 'app',
              message:
                'Container app recovered 3 h ago after 2 restarts; it has been running and ready since',
              evidence: [
                {
                  type: 'field',
                  path: 'status.containerStatuses[app].restartCount',
                  value: '2',
                },
              ],
            },
            {
              analyzer: 'deployment',
              code: 'RolloutInProgress',
              severity: 'info',
              cluster: 'demo',
              resource: {
                kind: 'Deployment',
                namespace: 'shop',
                name: 'checkout',
              },
              message:
                'Deployment checkout is rolling out: 1 of 2 replicas updated, within its 600 s progress deadline',
              evidence: [],
            },
          ],
          recommendations: [],
          errors: [],
        })}
      />,
    );
    const healthy = screen.getByTestId('diagnosis-healthy');
    expect(healthy.className).toMatch(/standardSuccess/);
    expect(healthy).toHaveTextContent('All workloads healthy');
    const notes = screen.getByTestId('diagnosis-notes');
    expect(notes).toHaveTextContent('Notes');
    expect(notes).toHaveTextContent('recovered 3 h ago after 2 restarts');
    expect(notes).toHaveTextContent('rolling out: 1 of 2 replicas updated');
    // Calm: no "Findings" section, no error or warning wording.
    expect(screen.queryByText('Findings')).not.toBeInTheDocument();
    expect(notes).not.toHaveTextContent(/critical|error|warning/i);
  });

  it('keeps the findings and no green state when something is wrong', async () => {
    await renderWithApi(<DiagnosisResult diagnosis={diagnosis()} />);
    expect(screen.queryByTestId('diagnosis-healthy')).not.toBeInTheDocument();
    expect(screen.getByText('Findings')).toBeInTheDocument();
  });

  it('does not call a partial diagnosis healthy', async () => {
    await renderWithApi(
      <DiagnosisResult
        diagnosis={diagnosis({
          findings: [],
          recommendations: [],
          errors: ['cluster demo: events could not be read'],
        })}
      />,
    );
    expect(screen.queryByTestId('diagnosis-healthy')).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'No findings in what could be read; see what is missing above.',
      ),
    ).toBeInTheDocument();
  });

  it('shows when it was made in local time, with the ISO value in a title', async () => {
    const createdAt = '2026-01-15T11:22:58.000Z';
    await renderWithApi(
      <DiagnosisResult diagnosis={diagnosis({ createdAt })} />,
    );
    const time = screen.getByText(new Date(createdAt).toLocaleString());
    expect(time).toHaveAttribute('title', expect.stringContaining(createdAt));
    expect(screen.queryByText(createdAt)).not.toBeInTheDocument();
  });
});
