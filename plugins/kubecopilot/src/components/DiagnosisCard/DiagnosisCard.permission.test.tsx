import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderCard, withHistory } from './__testUtils__/render';

// usePermission caches answers per permission for the whole test file (SWR),
// so a denial is tested in a file where nothing was allowed before.
describe('DiagnosisCard without the diagnose permission', () => {
  it('disables Diagnose and says why', async () => {
    const api = withHistory();
    await renderCard(api, 'DENY');

    expect(
      await screen.findByText(
        /Nobody has diagnosed component:default\/checkout yet\. You are not allowed/,
      ),
    ).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Diagnose' });
    expect(button).toBeDisabled();
    await userEvent.hover(screen.getByTestId('diagnose-button-wrapper'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You are not allowed to run diagnoses (permission kubecopilot.diagnose).',
    );
    expect(api.diagnose).not.toHaveBeenCalled();
  });
});
