import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { screen } from '@testing-library/react';
import { signInPage } from './signIn';

// What app-config.yaml + app-config.demo.yaml give the frontend.
const demoConfig = {
  app: { title: 'KubeCopilot' },
  backend: { baseUrl: 'http://localhost:7007' },
  auth: { environment: 'development' },
};

describe('sign-in page', () => {
  it('offers the guest provider', async () => {
    const SignIn = createExtensionTester(signInPage).get(
      SignInPageBlueprint.dataRefs.component,
    );
    renderInTestApp(<SignIn onSignInSuccess={jest.fn()} />, {
      config: demoConfig,
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
      config: demoConfig,
    });
    expect(
      await screen.findByRole('link', { name: /demo reviewer/ }),
    ).toHaveAttribute('href', '?signInAs=reviewer');
  });
});

describe('sign-in page, outside the demo', () => {
  afterEach(() => window.sessionStorage.clear());

  it('offers neither guest nor the demo reviewer without app-config.demo.yaml', async () => {
    // A reviewer sign-in remembered from an earlier demo must not bring it back.
    window.sessionStorage.setItem('kubecopilot-demo-sign-in', 'reviewer');
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
      await screen.findByText('No sign-in is configured'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Enter' })).toBeNull();
    expect(screen.queryByRole('link', { name: /demo reviewer/ })).toBeNull();
  });
});
