import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshots = path.join(repoRoot, 'docs/screenshots');

/**
 * The demo's findings scan (app-config.demo.yaml: 20 s after start, then
 * every 5 minutes) in Chromium: the "Findings" sidebar page lists the
 * failing demo services' open findings, filterable, each linking to the
 * entity's AI Diagnose tab; then checkout's "Postmortems" tab drafts one
 * for the last hour. Screenshots for the README.
 */
describeInBrowser(
  'Findings and postmortems in a real browser',
  { stack: { findingsScan: true }, viewport: { width: 1440, height: 1200 } },
  suite => {
    it('lists the open findings of the failing services, linking to AI Diagnose', async () => {
      await suite.explained('findings', async ({ page, session }) => {
        await page.getByRole('link', { name: 'Findings' }).first().click();
        await page.waitForURL(/\/kubecopilot\/findings$/);
        // The first scan runs 20 s after the backend started, and takes a
        // while over all the demo's services: ask again until checkout's in.
        const link = page
          .getByRole('link', { name: /^CrashLoopBackOff: Pod shop\/checkout-/ })
          .first();
        for (let attempt = 0; (await link.count()) === 0; attempt++) {
          if (attempt > 45) {
            throw new Error(
              `no checkout finding: ${await page.locator('body').innerText()}`,
            );
          }
          await page.waitForTimeout(2000);
          await page.reload({ waitUntil: 'networkidle' });
        }
        await page.getByText(/^Open findings \(\d+\)$/).waitFor();
        await link.waitFor();
        expect(await link.getAttribute('href')).toBe(
          '/catalog/default/component/checkout/kubecopilot-diagnose',
        );
        // The page has no <main> of its own: read the findings table.
        const text = await page.locator('table').first().innerText();
        expect(text).toMatch(/checkout/);
        expect(text).not.toMatch(/storefront/);

        fs.mkdirSync(screenshots, { recursive: true });
        await page.screenshot({
          path: path.join(screenshots, 'findings.png'),
          fullPage: true,
        });

        await link.click();
        await page.waitForURL(/\/kubecopilot-diagnose$/);
        expect(session.pageErrors).toEqual([]);
      });
    }, 180_000);

    it("drafts checkout's postmortem in its Postmortems tab", async () => {
      await suite.explained('postmortem', async ({ page, session, stack }) => {
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        await page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'Postmortems' })
          .click();
        await page.waitForURL(/\/kubecopilot-postmortems$/);
        await page.getByRole('button', { name: 'Draft postmortem' }).click();
        await page
          .getByRole('heading', { name: /^Postmortem: checkout, / })
          .first()
          .waitFor();
        await page.getByRole('heading', { name: 'Timeline (UTC)' }).waitFor();
        await page
          .getByText(/^Audit chain verified \(\d+ entries\)$/)
          .waitFor();
        const text = await page.locator('main').innerText();
        expect(text).toMatch(/Finding opened \(error\): CrashLoopBackOff/);
        expect(text).toMatch(/PAYMENT_GATEWAY_URL/);

        await page.getByText('None yet.').waitFor({ state: 'detached' });
        await page.screenshot({
          path: path.join(screenshots, 'postmortem.png'),
          fullPage: true,
        });
        expect(session.pageErrors).toEqual([]);
      });
    }, 180_000);
  },
);
