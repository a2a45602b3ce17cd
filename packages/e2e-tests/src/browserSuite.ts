import fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import {
  GuestSession,
  Stack,
  StackOptions,
  chromiumPath,
  ensureAppBuilt,
  openGuestSession,
  startStack,
} from './stack';

/** Where the Prometheus binary the `prometheus` stacks run is expected. */
const prometheusPath = '/usr/bin/prometheus';

/**
 * What a suite's tests use, set once its `beforeAll` has run: reading any of
 * it earlier (while jest collects the tests) throws.
 */
export interface BrowserSuite {
  readonly stack: Stack;
  readonly session: GuestSession;
  readonly page: Page;
  readonly browser: Browser;
  /**
   * Runs a test body with this suite; on failure, adds what the page and
   * backend saw (see {@link GuestSession.explained}).
   */
  explained(
    name: string,
    body: (suite: BrowserSuite) => Promise<void>,
  ): Promise<void>;
}

/** Why the suite cannot run on this machine, or undefined when it can. */
function missing(stack: Partial<StackOptions>): string | undefined {
  if (!fs.existsSync(chromiumPath)) {
    return `no Chromium at ${chromiumPath}. Install it with \`apt-get install -y chromium\` (or point KUBECOPILOT_CHROMIUM at one) to run them.`;
  }
  if (stack.prometheus && !fs.existsSync(prometheusPath)) {
    return `no Prometheus at ${prometheusPath}. Install it with \`apt-get install -y prometheus\` to run them.`;
  }
  return undefined;
}

/**
 * A suite against the real backend, serving the built app, and the demo
 * cluster (plus a real Prometheus with `stack.prometheus`), in headless
 * Chromium signed in as guest. Skipped, saying why, when Chromium (or the
 * Prometheus it asks for) is missing.
 */
export function describeInBrowser(
  title: string,
  options: {
    /** What to start besides the demo cluster; startupTimeoutMs defaults to 120 s. */
    stack?: Partial<StackOptions>;
    viewport: { width: number; height: number };
  },
  body: (suite: BrowserSuite) => void,
): void {
  const reason = missing(options.stack ?? {});
  if (reason) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED end-to-end tests "${title}": ${reason}`);
  }

  let stack: Stack | undefined;
  let session: GuestSession | undefined;
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) {
      throw new Error(`${name} is only set once the suite's beforeAll has run`);
    }
    return value;
  };
  const suite: BrowserSuite = {
    get stack() {
      return ready(stack, 'stack');
    },
    get session() {
      return ready(session, 'session');
    },
    get page() {
      return ready(session, 'page').page;
    },
    get browser() {
      return ready(session, 'browser').browser;
    },
    explained: (name, run) =>
      ready(session, 'session').explained(name, () => run(suite)),
  };

  (reason ? describe.skip : describe)(title, () => {
    beforeAll(async () => {
      // eslint-disable-next-line no-console
      ensureAppBuilt(line => console.log(line));
      stack = await startStack({ startupTimeoutMs: 120_000, ...options.stack });
      session = await openGuestSession(stack, options.viewport);
    }, 400_000);

    afterAll(async () => {
      await session?.browser.close();
      await stack?.stop();
    }, 60_000);

    body(suite);
  });
}
