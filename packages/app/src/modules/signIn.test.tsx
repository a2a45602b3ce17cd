import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { screen } from '@testing-library/react';
import { signInPage } from './signIn';

describe('sign-in page', () => {
  it('offers the guest provider', async () => {
    const SignIn = createExtensionTester(signInPage).get(
      SignInPageBlueprint.dataRefs.component,
    );
    renderInTestApp(<SignIn onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'KubeCopilot' },
        backend: { baseUrl: 'http://localhost:7007' },
      },
    });

    expect(await screen.findByText('KubeCopilot demo')).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
  });
});

describe('sign-in page, demo reviewer', () => {
  afterEach(() => window.sessionStorage.clear());

  it('links to the demo reviewer sign-in', async () => {
    const SignIn = createExtensionTester(signInPage).get(
      SignInPageBlueprint.dataRefs.component,
    );
    renderInTestApp(<SignIn onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'KubeCopilot' },
        backend: { baseUrl: 'http://localhost:7007' },
      },
    });
    expect(
      await screen.findByRole('link', { name: /demo reviewer/ }),
    ).toHaveAttribute('href', '?signInAs=reviewer');
  });
});
