import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { plan } from '../../__testUtils__/fixtures';
import { RevertNotice } from './RevertNotice';

describe('RevertNotice', () => {
  it('tells the reviewer of an executed plan that its revert waits for a second person, with a link', async () => {
    await renderInTestApp(
      <RevertNotice
        plan={plan({
          status: 'executed',
          revertPlanId: '5e1f0c2a-9a63-4f0b-8a61-0d2b7c3e4f51',
        })}
      />,
    );
    expect(
      screen.getByText('The revert waits for a second person'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'plan 5e1f0c2a' })).toHaveAttribute(
      'href',
      '/?plan=5e1f0c2a-9a63-4f0b-8a61-0d2b7c3e4f51',
    );
  });

  it('tells the reviewer of a revert plan which plan it undoes', async () => {
    await renderInTestApp(
      <RevertNotice plan={plan({ revertOf: 'aaaabbbb-0000' })} />,
    );
    expect(
      screen.getByText('This plan reverts another plan'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/that plan is marked reverted/),
    ).toBeInTheDocument();
  });

  it('says nothing about a plain plan, or once the revert ran', async () => {
    const { container } = await renderInTestApp(
      <RevertNotice plan={plan({ status: 'reverted', revertPlanId: 'x' })} />,
    );
    expect(container.textContent).toBe('');
  });
});
