import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshots = path.join(repoRoot, 'docs/screenshots');
const GOOD = 'ghcr.io/kubecopilot-demo/checkout:2.4.0';
/** The demo cluster's name in app-config.yaml. */
const CLUSTER = 'demo';

/**
 * A new user's canary release, as the README tells it: run the "Canary
 * release with KubeCopilot" template, find the plan in the inbox, have the
 * reviewer approve it, execute it and watch the steps — the gates sampled
 * by a real Prometheus scraping the demo cluster — then confirm promotion.
 */
describeInBrowser(
  'A canary release in a real browser, gated by a real Prometheus',
  { stack: { prometheus: true }, viewport: { width: 1440, height: 1100 } },
  suite => {
    const image = () =>
      (
        suite.stack.cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any
      )?.spec?.template?.spec?.containers?.[0]?.image;

    it('runs the template, then approve → execute → gates → confirm promotion → executed', async () => {
      await suite.explained('canary', async ({ page, session, stack }) => {
        const before = image();
        await page.goto(
          `${stack.baseUrl}/create/templates/default/kubecopilot-canary-release`,
        );
        // Step 1 of the form: what to release.
        const service = page.getByRole('textbox', { name: 'Service' });
        await service.click();
        await service.fill('checkout');
        await page.getByRole('option', { name: 'checkout', exact: true }).click();
        // The Deployment is picked from checkout's workloads, each with where
        // it runs, how ready it is and its image: the one in the cluster now.
        await page.getByRole('textbox', { name: 'Deployment' }).click();
        const live = stack.cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout') as any;
        const details = `shop · cluster ${CLUSTER} · ${live.status?.readyReplicas ?? 0}/${live.spec.replicas} ready · ${before}`;
        const option = page
          .getByRole('listbox')
          .getByRole('option')
          .filter({ hasText: `${live.spec.replicas} ready · ${before}` })
          .first();
        await option.waitFor();
        expect((await option.innerText()).split('\n').filter(Boolean)).toEqual([
          'checkout',
          details,
        ]);
        fs.mkdirSync(screenshots, { recursive: true });
        await page.screenshot({ path: path.join(screenshots, 'deployment-picker.png') });
        await option.click();
        // What was picked stays in view under the field.
        await page.getByText(details, { exact: true }).waitFor();
        expect(await page.getByRole('textbox', { name: 'Deployment' }).inputValue()).toBe(
          'checkout',
        );
        await page.getByRole('textbox', { name: 'New image' }).fill('2.4.0');
        await page.getByRole('button', { name: 'Next' }).click();
        // Step 2: the defaults (10%, 50%, 100%; 1%; 500 ms; confirm).
        await page.getByRole('button', { name: 'Review' }).click();
        await page.getByRole('button', { name: 'Create' }).click();

        const review = page.getByRole('link', {
          name: 'Review and approve the canary plan',
        });
        await review.waitFor({ timeout: 60_000 });
        expect(image()).toBe(before);
        await review.click();
        await page.waitForURL(/\/kubecopilot\/inbox\?plan=/);
        const planId = new URL(page.url()).searchParams.get('plan');
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('plan-steps').waitFor();
        await dialog.getByTestId('plan-step-create-canary').waitFor();
        await dialog.getByTestId('plan-step-confirm-promotion').waitFor();

        // The reviewer (group sre) approves in another browser context.
        const reviewerContext = await session.browser.newContext({
          viewport: { width: 1440, height: 1100 },
        });
        try {
          const reviewer = await reviewerContext.newPage();
          reviewer.setDefaultTimeout(30_000);
          await reviewer.goto(`${stack.baseUrl}/?signInAs=reviewer`);
          await reviewer.getByRole('link', { name: 'Catalog' }).first().waitFor();
          await reviewer.goto(`${stack.baseUrl}/kubecopilot/inbox?plan=${planId}`);
          const reviewDialog = reviewer.getByRole('dialog');
          await reviewDialog.getByTestId('plan-steps').waitFor();
          await reviewer.waitForFunction(() =>
            [...document.querySelectorAll('button')].some(
              b => b.textContent === 'Approve' && !b.disabled,
            ),
          );
          await reviewDialog.getByRole('button', { name: 'Approve', exact: true }).click();
          await reviewDialog.getByText('Approved', { exact: true }).waitFor();
        } finally {
          await reviewerContext.close();
        }

        await page.reload();
        await dialog.getByText('Approved', { exact: true }).waitFor();
        await dialog.getByRole('button', { name: 'Execute', exact: true }).click();
        await dialog.getByTestId('rollout-started').waitFor();
        await dialog.getByTestId('steps-progress').waitFor();

        // The gates sample Prometheus; the plan pauses for confirmation.
        await dialog.getByTestId('awaiting-promotion').waitFor({ timeout: 120_000 });
        const gate = dialog.getByTestId('plan-step-gate-10-error-rate');
        await gate.getByRole('table', { name: /Measurements: error rate/ }).waitFor();
        expect(await gate.innerText()).toMatch(/%/);
        fs.mkdirSync(screenshots, { recursive: true });
        await dialog.getByTestId('plan-steps').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshots, 'canary-steps.png') });

        await dialog.getByRole('button', { name: 'Confirm promotion' }).click();
        await dialog
          .getByText('Executed', { exact: true })
          .first()
          .waitFor({ timeout: 120_000 });
        expect(image()).toBe(GOOD);
        expect(
          stack.cluster.getObject('apps/v1', 'Deployment', 'shop', 'checkout-canary'),
        ).toBeUndefined();
        await dialog.getByText(/Chain verified \(/).waitFor();
      });
    }, 400_000);
  },
);
