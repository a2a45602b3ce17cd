import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Component tests render the Backstage app shell. On a loaded two-core CI
// machine a render can take longer than the defaults (5 s per test, 1 s for
// findBy/waitFor) without anything being wrong; a passing test still
// finishes as soon as what it waits for is on screen.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
