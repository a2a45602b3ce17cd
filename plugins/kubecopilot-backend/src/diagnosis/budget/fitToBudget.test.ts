import fs from 'fs';
import path from 'path';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { runAnalyzers } from '../../analyzers';
import { loadContext } from '../../analyzers/__fixtures__';
import { compressLogs, containsLine } from './compressLogs';
import { evidenceLines, findingsText, fitToBudget } from './fitToBudget';
import {
  PromptContext,
  renderPromptContext,
  toPromptContext,
} from './promptContext';
import { estimateTokens } from './tokens';

const noisy = fs
  .readFileSync(
    path.join(__dirname, '__fixtures__', 'crashloop-java.log'),
    'utf8',
  )
  .replace(/\n$/, '')
  .split('\n');

/** The crash-loop scenario with a realistic 200-line previous log, analysed for real. */
function crashLoopPrompt(): {
  prompt: PromptContext;
  findings: Finding[];
  evidence: string[];
} {
  const ctx = loadContext('pod-crashloop');
  ctx.logs[0].lines = noisy;
  ctx.logs.push({
    namespace: 'shop',
    pod: ctx.pods[0].metadata!.name!,
    container: 'app',
    previous: false,
    lines: noisy.slice(0, 40),
  });
  const { findings } = runAnalyzers(ctx);
  const evidence = [...evidenceLines(findings)];
  return { prompt: toPromptContext(ctx, findings), findings, evidence };
}

describe('fitToBudget', () => {
  it('sends everything, compressed, when it fits, and reports the sizes', () => {
    const { prompt, findings, evidence } = crashLoopPrompt();
    expect(evidence.length).toBeGreaterThan(5);
    const r = fitToBudget(prompt, 100_000);
    const f = findingsText(findings);
    expect(r.fits).toBe(true);
    expect(r.context.findings).toEqual(findings);
    expect(r.context.logs.map(l => l.lines)).toEqual(
      prompt.logs.map(l => compressLogs(l.lines, { keep: new Set(evidence) })),
    );
    expect(r.context.logs.every(l => l.omittedLines === undefined)).toBe(true);
    expect(r.text).toBe(renderPromptContext(r.context));
    expect(r.stats).toEqual({
      rawChars: renderPromptContext(prompt).length + f.length,
      sentChars: r.text.length + f.length,
      estimatedTokens: estimateTokens(r.text) + estimateTokens(f),
    });
    // Compression alone: the findings are sent whole, the logs shrink.
    expect(r.stats.sentChars / r.stats.rawChars).toBeLessThanOrEqual(0.4);
  });

  it('never exceeds the cap, and never loses findings, evidence or cited events', () => {
    const { prompt, findings, evidence } = crashLoopPrompt();
    const smallest = fitToBudget(prompt, 1).stats.estimatedTokens;
    let previous = 0;
    for (const max of [
      smallest - 1,
      smallest,
      smallest + 50,
      2500,
      3000,
      4000,
      6000,
      12000,
    ]) {
      const r = fitToBudget(prompt, max);
      expect({ max, fits: r.fits }).toEqual({ max, fits: max >= smallest });
      // `fits` means exactly "within the cap".
      expect(r.stats.estimatedTokens <= max).toBe(r.fits);
      expect(r.context.findings).toEqual(findings);
      const sent = r.context.logs.flatMap(l => l.lines);
      expect(evidence.filter(e => !containsLine(sent, e))).toEqual([]);
      expect(r.context.events.map(e => e.reason)).toContain('BackOff');
      // A bigger budget never sends less.
      expect(r.stats.sentChars).toBeGreaterThanOrEqual(previous);
      previous = r.stats.sentChars;
    }
  });

  it('says it does not fit when findings and evidence alone exceed the budget', () => {
    const { prompt, findings, evidence } = crashLoopPrompt();
    const r = fitToBudget(prompt, 100);
    expect(r.fits).toBe(false);
    expect(r.stats.estimatedTokens).toBeGreaterThan(100);
    expect(r.context.findings).toEqual(findings);
    // Everything left in the logs is evidence; everything else was cut and counted.
    for (const log of r.context.logs) {
      expect(
        log.lines.filter(
          l => !evidence.some(e => l === e || l.startsWith(`${e} (×`)),
        ),
      ).toEqual([]);
    }
    expect(r.context.logs.map(l => l.omittedLines! + l.lines.length)).toEqual(
      prompt.logs.map(
        l => compressLogs(l.lines, { keep: new Set(evidence) }).length,
      ),
    );
    // Only the event the finding cites is left; the pod's own summary stays.
    expect(r.context.events.map(e => e.reason)).toEqual(['BackOff']);
    expect(r.context.objects).toEqual(prompt.objects);
  });

  it('cuts debug lines first, then the oldest info lines, and keeps errors', () => {
    // Distinct words, so that compression folds nothing and only cutting acts.
    const words = [
      'amber',
      'birch',
      'cedar',
      'delta',
      'ember',
      'fjord',
      'grove',
      'heron',
      'iris',
      'juniper',
      'kestrel',
      'lumen',
      'maple',
      'nectar',
      'onyx',
      'pine',
      'quartz',
      'raven',
      'sage',
      'tundra',
    ];
    const debug = words.map(
      (w, i) =>
        `2025-01-14T09:00:${String(i).padStart(
          2,
          '0',
        )}Z DEBUG cache entry ${w} refreshed`,
    );
    const info = words.map(
      (w, i) =>
        `2025-01-14T09:01:${String(i).padStart(
          2,
          '0',
        )}Z INFO order placed by ${w} customer`,
    );
    const errors = Array.from(
      { length: 5 },
      (_, i) =>
        `2025-01-14T09:02:0${i}Z ERROR payment provider ${
          ['alpha', 'beta', 'gamma', 'delta', 'omega'][i]
        } rejected charge`,
    );
    // Chronological, interleaved: debug and info alternate, errors last.
    const lines = [...debug.flatMap((d, i) => [d, info[i]]), ...errors];
    const prompt: PromptContext = {
      cluster: 'prod-eu',
      findings: [],
      objects: [],
      events: [],
      logs: [
        {
          namespace: 'shop',
          pod: 'web-1',
          container: 'app',
          previous: false,
          lines,
        },
      ],
    };
    const full = fitToBudget(prompt, 100_000);
    expect(full.context.logs[0].lines).toEqual(lines);
    const r = fitToBudget(
      prompt,
      Math.floor(full.stats.estimatedTokens * 0.55),
    );
    expect(r.fits).toBe(true);
    const kept = r.context.logs[0].lines;
    expect(kept.filter(l => l.includes('DEBUG'))).toEqual([]);
    expect(kept.filter(l => l.includes('ERROR'))).toEqual(errors);
    const keptInfo = kept.filter(l => l.includes('INFO'));
    expect(keptInfo.length).toBeGreaterThan(0);
    expect(keptInfo.length).toBeLessThan(info.length);
    // The newest info lines survive.
    expect(keptInfo).toEqual(info.slice(info.length - keptInfo.length));
    expect(r.context.logs[0].omittedLines).toBe(lines.length - kept.length);
    expect(r.text).toContain(
      `### Pod shop/web-1 container app — ${
        lines.length - kept.length
      } lines omitted`,
    );
  });

  it('cuts Normal events before Warning events', () => {
    const prompt: PromptContext = {
      cluster: 'prod-eu',
      findings: [],
      objects: [],
      events: Array.from({ length: 30 }, (_, i) => ({
        object: `Pod shop/web-${i}`,
        type: i % 3 === 0 ? 'Warning' : 'Normal',
        reason: i % 3 === 0 ? 'BackOff' : 'Pulled',
        message: `message number ${i} about pod web-${i}`,
        count: 1,
      })),
      logs: [],
    };
    const full = fitToBudget(prompt, 100_000).stats.estimatedTokens;
    const r = fitToBudget(prompt, Math.floor(full * 0.5));
    const kept = r.context.events;
    expect(kept.length).toBeLessThan(30);
    expect(kept.filter(e => e.type === 'Warning')).toHaveLength(10);
    expect(r.fits).toBe(true);
  });
});
