import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshots = path.join(repoRoot, 'docs/screenshots');

/**
 * The crash-looping checkout's "Metrics & SLOs" tab in Chromium, with a real
 * Prometheus scraping the demo cluster: its availability SLO (read from
 * examples/slos/checkout.yaml) says no traffic is measured — no pod is
 * Ready — and its charts show the container's memory against the limit and
 * the restarts the kubelet counts. Screenshots for the README.
 */
describeInBrowser(
  'Metrics and SLOs in a real browser, from a real Prometheus',
  { stack: { prometheus: true }, viewport: { width: 1440, height: 1400 } },
  suite => {
    it("checkout's SLO card and charts", async () => {
      await suite.explained('metrics-slos', async ({ page, session, stack }) => {
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        await page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'Metrics & SLOs' })
          .click();
        await page.waitForURL(/\/kubecopilot-metrics$/);

        await page.getByRole('heading', { name: 'Checkout availability' }).waitFor();
        await page.getByText('Objective: 99.5% / 28d').waitFor();
        await page.getByText(/No traffic measured/).waitFor();
        await page.getByText(/Read from file:.*examples\/slos\/checkout\.yaml/).waitFor();

        await page.getByRole('heading', { name: 'Deployment shop/checkout · demo' }).waitFor();
        // Charts appear once Prometheus has scraped a few times: ask again until then.
        const memory = page.getByText(
          /^checkout \d+(\.\d)? MiB · request \(checkout\) 128 MiB · limit \(checkout\) 256 MiB$/,
        );
        const workload = page.getByRole('heading', { name: 'Deployment shop/checkout · demo' });
        for (let attempt = 0; (await memory.count()) === 0; attempt++) {
          if (attempt > 20) {
            throw new Error(`no memory chart: ${await page.locator('main').innerText()}`);
          }
          await page.waitForTimeout(1000);
          await page.getByRole('button', { name: attempt % 2 ? '1h' : '6h' }).click();
          await workload.waitFor();
        }
        await page.getByRole('button', { name: '1h' }).click();
        await memory.waitFor();
        expect(await page.locator('.recharts-line').count()).toBeGreaterThan(2);
        const text = await page.locator('main').innerText();
        expect(text).toContain('Restarts');
        expect(text).toContain('Memory (working set)');

        fs.mkdirSync(screenshots, { recursive: true });
        await page.screenshot({ path: path.join(screenshots, 'metrics-slos.png'), fullPage: true });
        expect(session.pageErrors).toEqual([]);
      });
    }, 180_000);
  },
);
