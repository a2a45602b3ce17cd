import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshots = path.join(repoRoot, 'docs/screenshots');
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

describeInBrowser(
  'Operation plans in a real browser against the demo cluster',
  { viewport: { width: 1440, height: 1000 } },
  suite => {
    function restartedAt(): string | undefined {
      const deployment = suite.stack.cluster.getObject(
        'apps/v1',
        'Deployment',
        'shop',
        'checkout',
      ) as any;
      return deployment?.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
    }

    it('drafts a restart in words, reviews, approves, executes and reverts it, with a verified audit trail', async () => {
      await suite.explained('plan-review', async () => {
        const { browser, page, session, stack } = suite;
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        await page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'Operation Plans' })
          .click();
        await page.waitForURL(/\/kubecopilot-plans$/);

        // Keyboard first: "/" focuses the prompt bar, Enter asks.
        await page
          .getByRole('heading', { name: 'No operation plans yet' })
          .waitFor();
        await page.keyboard.press('/');
        await page.keyboard.type('restart checkout');
        await page.keyboard.press('Enter');
        const intent = page.getByTestId('prompt-intent');
        await intent.waitFor();
        expect(await intent.innerText()).toMatch(/Understood: .*restart/i);
        expect(restartedAt()).toBeUndefined();

        await page.getByRole('button', { name: 'Draft plan' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        await page.waitForURL(/[?&]plan=/);

        // The exact change, its risk and the rules behind it.
        const diff = dialog.getByTestId('plan-diff');
        await diff.waitFor();
        expect(await diff.innerText()).toContain(RESTARTED_AT);
        await expect(
          dialog.getByText('medium risk').count(),
        ).resolves.toBeGreaterThan(0);
        const rules = dialog.getByRole('list', { name: 'Risk rules' });
        const ruleNames = await rules.locator('code').allInnerTexts();
        expect(ruleNames.length).toBeGreaterThan(0);
        await dialog.getByText(/Chain verified \(/).waitFor();
        // The side labels stand above the diff, not under its first fold.
        const labels = dialog.getByTestId('plan-diff-labels');
        await expect(
          labels.getByText('Now in the cluster').isVisible(),
        ).resolves.toBe(true);
        await expect(
          labels.getByText('After the plan').isVisible(),
        ).resolves.toBe(true);

        fs.mkdirSync(screenshots, { recursive: true });
        await page.screenshot({
          path: path.join(screenshots, 'plan-review.png'),
        });

        // Guest requested the plan; a second person approves it: the demo
        // reviewer (group sre), signed in through its own demo provider in a
        // separate browser context. (The example policy would also let guest,
        // an owner, approve a medium-risk plan; only high risk needs a second
        // approver.)
        const planId = new URL(page.url()).searchParams.get('plan');
        expect(planId).toBeTruthy();
        const reviewerContext = await browser.newContext({
          viewport: { width: 1440, height: 1000 },
        });
        try {
          const reviewer = await reviewerContext.newPage();
          reviewer.setDefaultTimeout(30_000);
          reviewer.on('pageerror', error =>
            session.pageErrors.push(error.message),
          );
          await reviewer.goto(`${stack.baseUrl}/?signInAs=reviewer`);
          await reviewer
            .getByRole('link', { name: 'Catalog' })
            .first()
            .waitFor();
          await reviewer.goto(
            `${stack.baseUrl}/kubecopilot/inbox?plan=${planId}`,
          );
          const reviewDialog = reviewer.getByRole('dialog');
          await reviewDialog.getByTestId('plan-diff').waitFor();
          await reviewer.waitForFunction(() =>
            [...document.querySelectorAll('button')].some(
              b => b.textContent === 'Approve' && !b.disabled,
            ),
          );
          await reviewDialog
            .getByLabel('Comment (optional)')
            .fill('Restart is fine, checkout is down anyway');
          await reviewDialog
            .getByRole('button', { name: 'Approve', exact: true })
            .click();
          await reviewDialog.getByText('Approved', { exact: true }).waitFor();
        } finally {
          await reviewerContext.close();
        }

        // Back to guest, who sees the server's answer after a reload.
        await page.reload();
        await dialog.getByText('Approved', { exact: true }).waitFor();
        await dialog
          .getByText(/reviewer approved/)
          .first()
          .waitFor();

        await dialog
          .getByRole('button', { name: 'Execute', exact: true })
          .click();
        await dialog
          .getByText('Executed', { exact: true })
          .waitFor({ timeout: 60_000 });
        await dialog.getByTestId('execution-result').waitFor();
        // The rollout, as the demo cluster reports it.
        await dialog.getByTestId('rollout-progress').waitFor();
        expect(restartedAt()).toBeTruthy();
        await expect(
          labels.getByText('Was in the cluster').isVisible(),
        ).resolves.toBe(true);
        await dialog.getByText('What was done').waitFor();

        // Revert asks first, saying what it will do.
        await dialog
          .getByRole('button', { name: 'Revert', exact: true })
          .click();
        const confirmRevert = page.getByRole('dialog', {
          name: 'Revert this plan?',
        });
        await confirmRevert.getByText(/rolls its pods once more/).waitFor();
        await confirmRevert
          .getByRole('button', { name: 'Revert', exact: true })
          .click();
        await dialog
          .getByText('Reverted', { exact: true })
          .waitFor({ timeout: 60_000 });
        expect(restartedAt()).toBeUndefined();

        const trail = dialog.getByRole('list', { name: 'Audit trail' });
        await trail
          .getByText(/revert/i)
          .first()
          .waitFor();
        const steps = (await trail.getByRole('listitem').allInnerTexts()).join(
          '\n',
        );
        expect(steps).toMatch(/approved — “Restart is fine/);
        expect(steps).toContain('reviewer');
        for (const step of [/created/i, /approved/i, /execut/i, /revert/i]) {
          expect(steps).toMatch(step);
        }
        await dialog.getByText(/Chain verified \(/).waitFor();
      });
    }, 240_000);

    it('lists a waiting plan in the approval inbox and opens it from ?plan=', async () => {
      await suite.explained('plans-inbox', async ({ page, stack }) => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('/');
        await page.keyboard.type('restart checkout');
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: 'Draft plan' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('plan-diff').waitFor();
        const planId = new URL(page.url()).searchParams.get('plan');
        expect(planId).toBeTruthy();
        await dialog.getByRole('button', { name: 'Close' }).click();

        await page.getByRole('link', { name: 'Approval inbox' }).click();
        await page.waitForURL(/\/kubecopilot\/inbox$/);
        await page.getByText('Waiting for approval').waitFor();
        await page.getByTestId('risk-counts').getByText('1 medium').waitFor();
        await page.screenshot({ path: path.join(screenshots, 'inbox.png') });

        await page.goto(`${stack.baseUrl}/kubecopilot/inbox?plan=${planId}`);
        await page.getByRole('dialog').getByTestId('plan-diff').waitFor();
      });
    }, 120_000);
  },
);
