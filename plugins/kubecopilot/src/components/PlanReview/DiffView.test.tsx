import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { DiffView, diffLabels, foldMessage } from './DiffView';
import { KubecopilotT } from '../../translation';
import { tFor } from '../../__testUtils__/translationApi';

let t: KubecopilotT;
beforeAll(async () => {
  t = await tFor('en');
});

function manifest(replicas: number) {
  const labels: Record<string, string> = {};
  for (let i = 1; i <= 30; i++)
    labels[`label-${String(i).padStart(2, '0')}`] = `v${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace: 'shop', labels },
    spec: { replicas, paused: false, minReadySeconds: 0 },
  };
}

describe('DiffView', () => {
  it('labels both sides above the diff and folds unchanged lines in words, numbered as shown', async () => {
    await renderInTestApp(
      <DiffView
        diff={{ before: manifest(1), after: manifest(3) }}
        status="pending"
      />,
    );
    const labels = screen.getByTestId('plan-diff-labels');
    expect(labels).toHaveTextContent('Now in the cluster');
    expect(labels).toHaveTextContent('After the plan');
    // `replicas` is line 38 (after 6 lines of metadata and 30 labels, and `spec:`);
    // with 3 lines of context, lines 1–34 are folded and 35 is the first shown.
    const folds = screen
      .getAllByText(/^Show \d+ unchanged lines?/)
      .map(e => e.textContent);
    expect(folds[0]).toBe('Show 34 unchanged lines (lines 1–34)');
    expect(screen.queryByText(/@@/)).not.toBeInTheDocument();
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();
    expect(screen.getAllByText('35').length).toBeGreaterThan(0);
    expect(screen.queryByText('34')).not.toBeInTheDocument();
  });

  it('numbers a fold between two changes by the lines it hides', async () => {
    const after = manifest(3);
    after.metadata.labels['label-01'] = 'changed';
    await renderInTestApp(<DiffView diff={{ before: manifest(1), after }} />);
    const folds = screen
      .getAllByText(/^Show \d+ unchanged lines?/)
      .map(e => e.textContent);
    // label-01 is line 7: lines 1–3 fold before it, 11–34 between it and `replicas`
    expect(folds).toEqual([
      'Show 3 unchanged lines (lines 1–3)',
      'Show 24 unchanged lines (lines 11–34)',
    ]);
  });

  it('speaks in the past after execution', () => {
    const diff = { before: { a: 1 }, after: { a: 2 } };
    expect(diffLabels(diff, 'executed', t)).toEqual({
      left: 'Was in the cluster',
      right: 'Now',
    });
    expect(diffLabels(diff, 'confirmed', t)).toEqual({
      left: 'Now in the cluster',
      right: 'After the plan',
    });
    expect(
      diffLabels({ before: null, after: { a: 1 } }, 'pending', t).left,
    ).toBe('Does not exist yet');
  });

  it('words a single folded line', () => {
    expect(foldMessage(1, 7, 7, t)).toBe('Show 1 unchanged line (line 7)');
    expect(foldMessage(4, 10, 12, t)).toBe(
      'Show 4 unchanged lines (lines 7–10 → 9–12)',
    );
  });
});
