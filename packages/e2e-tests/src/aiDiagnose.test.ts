import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshotPath = path.join(repoRoot, 'docs/screenshots/ai-diagnose.png');

describeInBrowser(
  'KubeCopilot in a real browser against the demo cluster',
  { viewport: { width: 1440, height: 900 } },
  suite => {
    it('lands on the KubeCopilot home after sign-in, with checkout among the services in trouble', async () => {
      await suite.explained('home', async ({ page }) => {
        // The session signed in at `/` and is still there: that page used to
        // be the 404 ("Looks like someone dropped the mic!").
        expect(new URL(page.url()).pathname).toBe('/');
        await page
          .getByText('Services on Kubernetes', { exact: true })
          .first()
          .waitFor({ timeout: 60_000 });
        await expect(
          page.getByText('Looks like someone dropped the mic!').count(),
        ).resolves.toBe(0);
        await expect(
          page.getByRole('heading', { name: 'KubeCopilot' }).count(),
        ).resolves.toBeGreaterThan(0);
        // Statuses come from the demo cluster: checkout crash-loops.
        const checkout = page
          .getByRole('row')
          .filter({ has: page.getByRole('link', { name: 'checkout' }) })
          .filter({ hasText: 'CrashLoopBackOff' });
        await checkout.first().waitFor({ timeout: 60_000 });
        await expect(
          checkout.getByRole('link', { name: 'Diagnose' }).getAttribute('href'),
        ).resolves.toBe(
          '/catalog/default/component/checkout/kubecopilot-diagnose',
        );
      });
    }, 120_000);

    it('sums up checkout on its Overview page, inviting to AI Diagnose', async () => {
      await suite.explained('overview-card', async ({ page, stack }) => {
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        const card = page.getByText(/not ready: .*CrashLoopBackOff/);
        await card.first().waitFor({ timeout: 60_000 });
        await expect(
          page
            .getByRole('link', { name: /Find out why with AI Diagnose/ })
            .count(),
        ).resolves.toBe(1);
      });
    }, 120_000);

    it('shows the crash-looping checkout Deployment on the "AI Diagnose" tab', async () => {
      await suite.explained('ai-diagnose', async ({ page, stack }) => {
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        await page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'AI Diagnose' })
          .click();
        await page.waitForURL(
          /\/catalog\/default\/component\/checkout\/kubecopilot-diagnose$/,
        );

        // Rows come from the demo cluster through the backend: wait for the
        // checkout Deployment's row, then check what the demo scenario fixes.
        const row = page
          .getByRole('row')
          .filter({ has: page.getByLabel('cluster demo') })
          .filter({ hasText: 'Deployment · shop' })
          .filter({ hasText: 'CrashLoopBackOff' });
        await row.first().waitFor({ timeout: 60_000 });
        await expect(row.count()).resolves.toBe(1);

        const cells = (await row.getByRole('cell').allInnerTexts()).map(text =>
          text.replace(/\s+/g, ' ').trim(),
        );
        expect(cells[0]).toBe('demo');
        expect(cells[1]).toBe('checkout Deployment · shop');
        expect(cells).toContain('0/1 ready');
        await expect(row.getByTitle('Failing').count()).resolves.toBe(1);
        expect(cells.join(' ')).toContain(
          'ghcr.io/kubecopilot-demo/checkout:2.3.1',
        );
        await expect(
          page.getByText('From cluster: demo', { exact: true }).count(),
        ).resolves.toBe(1);

        // The events timeline below the diagnosis: the kubelet's back-off
        // of checkout's container, as the demo cluster reported it.
        const timeline = page.getByRole('list', { name: 'Events' });
        await timeline
          .getByText(
            /^Back-off restarting failed container checkout in pod checkout-/,
          )
          .first()
          .waitFor({ timeout: 60_000 });
        const backOff = timeline
          .getByTestId('event-row')
          .filter({ hasText: 'BackOff' });
        await expect(backOff.count()).resolves.toBe(1);
        expect((await backOff.innerText()).replace(/\s+/g, ' ')).toMatch(
          /Warning BackOff Pod\/checkout-\S+ · container checkout ×\d+ Back-off restarting failed container checkout/,
        );

        // No LLM is configured: the rules explain the crash loop, citing the
        // previous container's log, and say so.
        await page
          .getByRole('button', { name: 'Diagnose', exact: true })
          .click();
        const crashLoop = page.getByLabel('finding CrashLoopBackOff').first();
        await crashLoop.waitFor({ timeout: 90_000 });
        await expect(
          page.getByLabel('answered by Rules').count(),
        ).resolves.toBeGreaterThan(0);
        await expect(
          crashLoop.getByLabel('log excerpt').count(),
        ).resolves.toBeGreaterThan(0);
        // Root cause first: one sentence naming the missing variable, the
        // crash before the Deployment and Service it takes down.
        await expect(
          page.getByTestId('diagnosis-headline').innerText(),
        ).resolves.toBe(
          'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set',
        );
        await expect(
          page.getByLabel('finding DeploymentUnavailable').count(),
        ).resolves.toBe(0);

        fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
        await page.screenshot({ path: screenshotPath, fullPage: true });
      });
    }, 180_000);

    it('offers to set PAYMENT_GATEWAY_URL beside the cause: it asks for the value, and the plan it drafts adds the variable', async () => {
      await suite.explained('set-variable', async ({ page, stack }) => {
        const cause = page.getByLabel('finding CrashLoopBackOff').first();
        await expect(
          cause
            .getByText(
              /What helps: Set PAYMENT_GATEWAY_URL on Deployment checkout\./,
            )
            .count(),
        ).resolves.toBe(1);
        await cause.getByRole('button', { name: 'Create plan' }).click();
        // Only the person knows the value: the portal asks for it first.
        const ask = page.getByRole('dialog', {
          name: 'What should the plan set?',
        });
        await ask
          .getByRole('textbox', {
            name: 'Value of PAYMENT_GATEWAY_URL (container checkout)',
          })
          .fill('https://payments.shop.svc:8443');
        await ask.getByRole('button', { name: 'Create plan' }).click();
        await page.waitForURL(/\/kubecopilot-plans\?plan=/);
        const review = page.getByRole('dialog');
        const diff = review.getByTestId('plan-diff');
        await diff.waitFor({ timeout: 60_000 });
        await expect(
          review
            .getByText('Review plan: update Deployment shop/checkout')
            .count(),
        ).resolves.toBeGreaterThan(0);
        const added = await diff.innerText();
        expect(added).toContain('PAYMENT_GATEWAY_URL');
        expect(added).toContain('https://payments.shop.svc:8443');

        // The rollback below is the fix this walkthrough takes: reject this one.
        await review
          .getByRole('button', { name: 'Reject', exact: true })
          .click();
        await review
          .getByRole('textbox', { name: 'Why reject? (required)' })
          .fill('rolling back to 2.2.0 instead');
        await review.getByRole('button', { name: 'Confirm reject' }).click();
        await review.getByText('Rejected', { exact: true }).first().waitFor();
        await review.getByRole('button', { name: 'Close' }).click();

        await page.goto(
          `${stack.baseUrl}/catalog/default/component/checkout/kubecopilot-diagnose`,
        );
        await page
          .getByRole('button', { name: 'Diagnose', exact: true })
          .click();
        await page
          .getByLabel('finding CrashLoopBackOff')
          .first()
          .waitFor({ timeout: 90_000 });
      });
    }, 180_000);

    it('recommends rolling back to 2.2.0, never a restart; the rollback, approved and executed, leaves checkout 1/1 ready', async () => {
      await suite.explained('rollback-fix', async ({ page, stack }) => {
        // Still on checkout's AI Diagnose tab, with the rules' diagnosis shown.
        const crashLoop = page.getByLabel('finding CrashLoopBackOff').first();
        await expect(
          crashLoop
            .getByText(
              'A restart alone will not help: the container exits the same way after every restart.',
            )
            .count(),
        ).resolves.toBe(1);
        const recommendations = page.getByRole('list', {
          name: 'recommendations',
        });
        await expect(
          recommendations.getByText(/^Restart /).count(),
        ).resolves.toBe(0);
        // The fix an SRE makes first: back to the revision that ran.
        const rollback = recommendations
          .getByRole('listitem')
          .filter({ hasText: 'Roll back Deployment shop/checkout' });
        await expect(rollback.count()).resolves.toBe(1);
        await expect(
          rollback
            .getByText(
              /to revision 1 \(ghcr\.io\/kubecopilot-demo\/checkout:2\.2\.0\)/,
            )
            .count(),
        ).resolves.toBe(1);
        await rollback.getByRole('button', { name: 'Create plan' }).click();
        await page.waitForURL(/\/kubecopilot-plans\?plan=/);
        const dialog = page.getByRole('dialog');
        await dialog.getByTestId('plan-diff').waitFor({ timeout: 60_000 });
        await expect(
          dialog
            .getByText('Review plan: rollback Deployment shop/checkout')
            .count(),
        ).resolves.toBeGreaterThan(0);
        // Medium risk: the owner's team may approve and execute it alone.
        await page.waitForFunction(() =>
          [...document.querySelectorAll('button')].some(
            b => b.textContent === 'Approve' && !b.disabled,
          ),
        );
        await dialog
          .getByRole('button', { name: 'Approve', exact: true })
          .click();
        await dialog.getByText('Approved', { exact: true }).waitFor();
        await dialog
          .getByRole('button', { name: 'Execute', exact: true })
          .click();
        await dialog
          .getByText('Executed', { exact: true })
          .waitFor({ timeout: 60_000 });
        await dialog.getByRole('button', { name: 'Close' }).click();

        // What a person checks next: the Deployment is ready again, on 2.2.0.
        await page.goto(
          `${stack.baseUrl}/catalog/default/component/checkout/kubecopilot-diagnose`,
        );
        const ready = page
          .getByRole('row')
          .filter({ hasText: 'Deployment · shop' })
          .filter({ hasText: '1/1 ready' });
        for (let i = 0; i < 30 && (await ready.count()) === 0; i += 1) {
          await page.waitForTimeout(2_000);
          await page.reload();
          await page
            .getByRole('row')
            .filter({ hasText: 'Deployment · shop' })
            .first()
            .waitFor({ timeout: 60_000 });
        }
        await expect(ready.count()).resolves.toBe(1);
        const cells = (await ready.getByRole('cell').allInnerTexts()).join(' ');
        expect(cells).toContain('ghcr.io/kubecopilot-demo/checkout:2.2.0');
      });
    }, 240_000);

    it('explains the image-pull failure of recommendations', async () => {
      await suite.explained('image-pull', async ({ page, stack }) => {
        await page.goto(
          `${stack.baseUrl}/catalog/default/component/recommendations/kubecopilot-diagnose`,
        );
        await page
          .getByRole('button', { name: 'Diagnose', exact: true })
          .click();
        const imagePull = page.getByLabel('finding ImagePullBackOff');
        await imagePull.first().waitFor({ timeout: 90_000 });
        await expect(imagePull.count()).resolves.toBeGreaterThan(0);
        // The tag does not exist: a plan for one that does, typed by a person.
        await expect(
          imagePull
            .first()
            .getByText(
              /Set the image of Deployment recommendations \(container "[^"]+"\) to one that exists\. The registry has no image "ghcr\.io\/kubecopilot-demo\/recommendations:v3\.0\.0"/,
            )
            .count(),
        ).resolves.toBe(1);
      });
    }, 120_000);

    it('opens the approval inbox from the sidebar', async () => {
      await suite.explained('inbox', async ({ page }) => {
        await page.getByRole('link', { name: 'Approval inbox' }).click();
        await page.waitForURL(/\/kubecopilot\/inbox$/);
        expect(new URL(page.url()).pathname).toBe('/kubecopilot/inbox');
      });
    }, 60_000);
  },
);
