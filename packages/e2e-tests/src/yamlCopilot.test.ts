import { describeInBrowser } from './browserSuite';

describeInBrowser(
  'The YAML copilot in a real browser against the demo cluster',
  { viewport: { width: 1440, height: 1000 } },
  suite => {
    it('shows checkout’s manifest and its checks; adding the missing CPU limit by editing becomes a plan with that diff', async () => {
      await suite.explained('yaml-copilot', async () => {
        const { page, session, stack } = suite;
        await page.goto(`${stack.baseUrl}/catalog/default/component/checkout`);
        const tab = page
          .getByRole('navigation', { name: 'Content navigation' })
          .getByRole('link', { name: 'YAML', exact: true });
        await tab.waitFor();
        expect(await tab.getAttribute('href')).toMatch(/\/kubecopilot-yaml$/);
        // Open the tab by its address: on a busy machine a click on the tab
        // bar can land while the entity page is still laying out.
        await page.goto(
          `${stack.baseUrl}/catalog/default/component/checkout/kubecopilot-yaml`,
        );

        // The live manifest, read-only, and what a reviewer would say. Right
        // after start-up the findings scan keeps the Kubernetes backend busy
        // and a read may time out (503): a person would reload, so does this.
        const editor = page.getByTestId('manifest-editor');
        const image = editor.getByText(
          'image: ghcr.io/kubecopilot-demo/checkout:2.3.1',
        );
        for (let attempt = 1; ; attempt++) {
          const unavailable = page.getByText(/Request failed with 503/);
          // The losing wait times out later; its rejection means nothing.
          await Promise.race([
            image.waitFor().catch(() => {}),
            unavailable.waitFor().catch(() => {}),
          ]);
          if (await image.isVisible()) break;
          if (attempt === 3) throw new Error('the YAML tab kept answering 503');
          await page.reload();
        }
        expect(await editor.getAttribute('data-editing')).toBe('false');
        const cpuLimit = page.getByTestId('check-resources-cpu-limit-missing');
        await cpuLimit.waitFor();
        expect(await cpuLimit.innerText()).toMatch(/no CPU limit/);
        await page.getByTestId('check-probe-liveness-missing').waitFor();
        // The annotations sit in the editor's lint gutter.
        await expect(
          editor.locator('.cm-lint-marker').count(),
        ).resolves.toBeGreaterThan(0);

        // Edit: add `cpu: 200m` under `limits`, as a person types it.
        await page.getByRole('button', { name: 'Edit', exact: true }).click();
        expect(await editor.getAttribute('data-editing')).toBe('true');
        // The check's line link scrolls the editor there (CodeMirror only
        // renders the lines in view) and puts the cursor on `limits:`.
        await cpuLimit.getByRole('button', { name: /^line \d+$/ }).click();
        const limits = editor.locator('.cm-line', {
          hasText: /^\s*limits:\s*$/,
        });
        await limits.waitFor();
        // Then into that line, as a person clicks where they want to type.
        await limits.click();
        const indent = /^\s*/.exec((await limits.textContent()) ?? '')![0];
        // A new line by the editor's own Enter (an inserted "\n" is read back
        // from the DOM, which a loaded machine can get wrong), then its
        // indentation replaced: Shift+Home on a blank line selects it all.
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Shift+Home');
        await page.keyboard.insertText(`${indent}  cpu: 200m`);
        await editor
          .locator('.cm-line', { hasText: /^\s*cpu: 200m$/ })
          .waitFor();
        await editor
          .locator('.cm-line', { hasText: /^\s*limits:\s*$/ })
          .waitFor();

        await page.getByRole('button', { name: 'Check again' }).click();
        await cpuLimit.waitFor({ state: 'detached' });

        // The plan: its review opens on the Operation Plans tab with the diff.
        await page.getByRole('button', { name: 'Create plan' }).click();
        // The review opens; a refusal would be an alert, said as the failure.
        const refused = page
          .getByRole('alert')
          .filter({ hasText: 'The plan was not created' })
          .first();
        await Promise.race([
          page.waitForURL(/\/kubecopilot-plans\?plan=/),
          refused.waitFor().then(async () => {
            throw new Error(
              `Create plan was refused: ${await refused.innerText()}`,
            );
          }),
        ]);
        const dialog = page.getByRole('dialog');
        const diff = dialog.getByTestId('plan-diff');
        await diff.waitFor();
        expect(await diff.innerText()).toContain('200m');
        await dialog
          .getByText(/resources\.limits\.cpu/)
          .first()
          .waitFor();
        // Nothing changed in the cluster: the plan waits for approval.
        const checkout = stack.cluster.getObject(
          'apps/v1',
          'Deployment',
          'shop',
          'checkout',
        ) as any;
        expect(
          checkout.spec.template.spec.containers[0].resources.limits.cpu,
        ).toBeUndefined();
        expect(session.pageErrors).toEqual([]);
      });
    }, 240_000);
  },
);
