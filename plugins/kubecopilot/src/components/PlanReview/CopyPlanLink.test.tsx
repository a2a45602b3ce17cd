import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CopyPlanLink, planReviewUrl } from './CopyPlanLink';

describe('CopyPlanLink', () => {
  const writeText = jest.fn();
  beforeEach(() => {
    writeText.mockReset();
    Object.defineProperty(window.navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
  });

  it('points at the plan in the approval inbox', () => {
    expect(planReviewUrl('plan 1/2', 'https://portal.example.com')).toBe(
      'https://portal.example.com/kubecopilot/inbox?plan=plan%201%2F2',
    );
  });

  it('copies the review link and says so', async () => {
    writeText.mockResolvedValue(undefined);
    await renderInTestApp(<CopyPlanLink planId="p-42" />);
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy link for approvers' }),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Link copied' })).toBeVisible(),
    );
    expect(writeText).toHaveBeenCalledWith(
      `${window.location.origin}/kubecopilot/inbox?plan=p-42`,
    );
  });

  it('says where the link is when the clipboard refuses', async () => {
    writeText.mockRejectedValue(new Error('denied'));
    await renderInTestApp(<CopyPlanLink planId="p-42" />);
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy link for approvers' }),
    );
    const button = await screen.findByRole('button', {
      name: /Could not copy/,
    });
    expect(button).toHaveAttribute(
      'title',
      `${window.location.origin}/kubecopilot/inbox?plan=p-42`,
    );
  });
});
