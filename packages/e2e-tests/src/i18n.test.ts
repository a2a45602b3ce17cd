import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describeInBrowser } from './browserSuite';
import { repoRoot } from './stack';

const screenshots = path.join(repoRoot, 'docs/screenshots');
// Without a CJK font Chromium draws Chinese as boxes: screenshots of the
// Chinese UI are only worth taking with one (apt-get install fonts-noto-cjk).
const hasCjkFont =
  spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout?.trim()
    .length > 0;
const DIAGNOSE_TAB = '/catalog/default/component/checkout/kubecopilot-diagnose';

describeInBrowser(
  'KubeCopilot in Chinese, picked in Settings',
  { viewport: { width: 1440, height: 900 } },
  suite => {
    async function diagnoseCheckout(button: string, finding: string) {
      await suite.page.goto(`${suite.stack.baseUrl}${DIAGNOSE_TAB}`);
      await suite.page
        .getByRole('button', { name: button, exact: true })
        .click();
      await suite.page.getByLabel(finding).first().waitFor({ timeout: 90_000 });
      await suite.page.getByTestId('diagnosis-headline').waitFor();
      // Done diagnosing: the button is back to its own name, not "…ing".
      await suite.page
        .getByRole('button', { name: button, exact: true })
        .waitFor({ timeout: 90_000 });
      await expect(
        suite.page
          .getByRole('button', { name: button, exact: true })
          .isEnabled(),
      ).resolves.toBe(true);
    }

    async function useTheme(theme: 'light' | 'dark') {
      // The app theme API keeps the choice in local storage, as Settings does.
      await suite.page.evaluate(
        t => window.localStorage.setItem('theme', t),
        theme,
      );
    }

    it('offers 中文 in Settings, and the AI Diagnose screen then speaks Chinese', async () => {
      await suite.explained('i18n-settings', async ({ page, stack }) => {
        await page.goto(`${stack.baseUrl}/settings`);
        const language = page
          .getByRole('listitem')
          .filter({ hasText: 'Change the language' });
        await language.getByRole('button').click();
        await page.getByRole('option', { name: /^中文/ }).click();

        await diagnoseCheckout('诊断', '发现 CrashLoopBackOff');
        // The tab, the card and the findings are in Chinese; the cluster's
        // and the rules' own words (names, log lines) stay as they are.
        await expect(
          page.getByText('AI 诊断', { exact: true }).count(),
        ).resolves.toBeGreaterThan(0);
        await expect(
          page.getByRole('heading', { name: '发现的问题' }).count(),
        ).resolves.toBe(1);
        await expect(
          page.getByText('解决办法：').first().isVisible(),
        ).resolves.toBe(true);
        await expect(
          page.getByTestId('diagnosis-headline').innerText(),
        ).resolves.toContain('PAYMENT_GATEWAY_URL');

        fs.mkdirSync(screenshots, { recursive: true });
        if (hasCjkFont) {
          await page.screenshot({
            path: path.join(screenshots, 'ai-diagnose-zh.png'),
            fullPage: true,
          });
        } else {
          // eslint-disable-next-line no-console
          console.warn(
            'No CJK font installed: no screenshot of the Chinese UI',
          );
        }
      });
    }, 240_000);

    it('switches back to English in Settings', async () => {
      await suite.explained('i18n-english', async ({ page, stack }) => {
        await page.goto(`${stack.baseUrl}/settings`);
        // Settings' own words may be Chinese now: find the picker by its value.
        await page.getByRole('button', { name: /^中文/ }).first().click();
        await page.getByRole('option', { name: /^English/ }).click();

        await useTheme('dark');
        await diagnoseCheckout('Diagnose', 'finding CrashLoopBackOff');
        await expect(
          page.getByText('AI Diagnose', { exact: true }).count(),
        ).resolves.toBeGreaterThan(0);
        await expect(page.getByText('发现的问题').count()).resolves.toBe(0);
        await page.screenshot({
          path: path.join(screenshots, 'ai-diagnose-dark.png'),
          fullPage: true,
        });
        await useTheme('light');
      });
    }, 240_000);
  },
);
