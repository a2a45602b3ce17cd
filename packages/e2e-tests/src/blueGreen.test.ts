import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshots = path.join(repoRoot, 'docs/screenshots');
const GOOD = 'ghcr.io/kubecopilot-demo/checkout:2.4.0';

/**
 * A new user's blue-green release, typed in the prompt bar: the review says
 * in words when traffic moves and how to go back; the reviewer approves; the
 * gates on green are sampled by a real Prometheus scraping the demo cluster;
 * the Service switches to green and blue is scaled to 0.
 */
describeInBrowser(
  'A blue-green release in a real browser, gated by a real Prometheus',
  { stack: { prometheus: true }, viewport: { width: 1440, height: 1100 } },
  suite => {
    const object = (apiVersion: string, kind: string, name: string) =>
      suite.stack.cluster.getObject(apiVersion, kind, 'shop', name) as any;

    it('prompt bar → review in words → approve → execute → gates → switch → bake → executed', async () => {
      await suite.explained('blue-green', async ({ page, session, stack }) => {
        const selectorBefore = object('v1', 'Service', 'checkout').spec.selector;
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        await page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'Operation Plans' })
          .click();
        await page.waitForURL(/\/kubecopilot-plans$/);
        await page.getByRole('heading', { name: 'No operation plans yet' }).waitFor();
        await page.keyboard.press('/');
        await page.keyboard.type(
          'blue-green checkout to image 2.4.0, switch after error rate < 1% for 10s, bake 10s',
        );
        await page.keyboard.press('Enter');
        const intent = page.getByTestId('prompt-intent');
        await intent.waitFor();
        expect(await intent.innerText()).toMatch(/blue-green of Deployment checkout to 2\.4\.0/);

        await page.getByRole('button', { name: 'Draft plan' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('plan-steps').waitFor();
        await page.waitForURL(/[?&]plan=/);
        const planId = new URL(page.url()).searchParams.get('plan');
        await dialog.getByTestId('plan-step-switch-service').waitFor();
        // The review says when traffic moves and how to go back, in words.
        const text = await dialog.innerText();
        expect(text).toContain('Traffic moves once, at step "switch-service"');
        expect(text).toContain('To go back:');
        expect(text).toMatch(/high risk/);
        expect(object('apps/v1', 'Deployment', 'checkout-green')).toBeUndefined();

        // High risk: a second person (the demo reviewer) approves.
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
          await reviewDialog.getByRole('button', { name: 'Execute', exact: true }).click();
          await reviewDialog.getByTestId('rollout-started').waitFor();
        } finally {
          await reviewerContext.close();
        }

        await page.reload();
        await dialog.getByTestId('plan-steps').waitFor();
        await dialog
          .getByText('Executed', { exact: true })
          .first()
          .waitFor({ timeout: 180_000 });
        const gate = dialog.getByTestId('plan-step-gate-error-rate');
        await gate.getByRole('table', { name: /Measurements: error rate/ }).waitFor();
        fs.mkdirSync(screenshots, { recursive: true });
        await dialog.getByTestId('plan-steps').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshots, 'blue-green-steps.png') });

        expect(object('v1', 'Service', 'checkout').spec.selector).toEqual({
          ...selectorBefore,
          'kubecopilot.io/track': 'green',
        });
        expect(
          object('apps/v1', 'Deployment', 'checkout-green').spec.template.spec.containers[0].image,
        ).toBe(GOOD);
        expect(object('apps/v1', 'Deployment', 'checkout').spec.replicas).toBe(0);
        await dialog.getByText(/Chain verified \(/).waitFor();
      });
    }, 400_000);
  },
);
