import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { isErrorLine } from '../../analyzers/common';
import { compressLogs } from './compressLogs';
import {
  PromptContext,
  PromptEvent,
  PromptLog,
  renderEvent,
  renderPromptContext,
} from './promptContext';
import { estimateTokens } from './tokens';

export interface BudgetStats {
  /** Characters of the context before compression and cutting (rendered text + findings). */
  rawChars: number;
  /** Characters of what is sent (rendered text + findings). */
  sentChars: number;
  /** {@link estimateTokens} of what is sent. */
  estimatedTokens: number;
}

export interface FittedContext {
  context: PromptContext;
  /** `renderPromptContext(context)`: the text for the prompt's context section. */
  text: string;
  /**
   * False when the findings, the evidence lines and the objects they concern
   * alone exceed the budget. The context is then as small as it gets and
   * still too big: do not send it; answer with the rules and say why.
   */
  fits: boolean;
  stats: BudgetStats;
}

export interface FitOptions {
  /** More lines to protect besides the findings' evidence lines. */
  keep?: ReadonlySet<string>;
}

/** Every log line the findings cite: they must reach the model verbatim. */
export function evidenceLines(findings: Finding[]): Set<string> {
  return new Set(
    findings.flatMap(f =>
      f.evidence.flatMap(e => (e.type === 'log' ? e.lines ?? [] : [])),
    ),
  );
}

/**
 * The findings as the diagnoser serialises them into the prompt
 * (`JSON.stringify(…, null, 1)`): they are part of what the budget pays for.
 */
/**
 * The findings as the model reads them: one compact block per finding, with
 * its id (`F1`, …), instead of JSON whose keys and quotes cost a third of the
 * prompt. The same text is what the budget counts.
 */
export function findingsText(findings: Finding[]): string {
  return findings
    .map((f, i) => {
      const where = `${f.resource.kind} ${
        f.resource.namespace ? `${f.resource.namespace}/` : ''
      }${f.resource.name}`;
      const lines = [
        `F${i + 1} [${f.severity}] ${f.code} ${where}${
          f.container ? ` container ${f.container}` : ''
        } (cluster ${f.cluster}): ${f.message}`,
      ];
      for (const e of f.evidence) {
        if (e.type === 'field')
          lines.push(
            `  - ${e.path ?? ''}${
              e.value !== undefined ? ` = ${e.value}` : ''
            }${e.message ? ` ${e.message}` : ''}`,
          );
        else if (e.type === 'event')
          lines.push(
            `  - event ${e.reason ?? ''}${e.count ? ` ×${e.count}` : ''}: ${
              e.message ?? ''
            }`,
          );
        else
          lines.push(
            ...(e.lines ?? [e.message ?? '']).map(l => `  - log: ${l}`),
          );
      }
      if (f.proposedFix) lines.push(`  fix: ${f.proposedFix.description}`);
      return lines.join('\n');
    })
    .join('\n');
}

function measure(ctx: PromptContext): {
  text: string;
  chars: number;
  tokens: number;
} {
  const text = renderPromptContext(ctx);
  const f = findingsText(ctx.findings);
  return {
    text,
    chars: text.length + f.length,
    tokens: estimateTokens(text) + estimateTokens(f),
  };
}

const FOLDED = / \(×\d+\)$/;
const DEBUG =
  /\b(?:TRACE|DEBUG)\b|level=(?:debug|trace)|"level":\s*"(?:debug|trace)"/i;
const WARN = /\bWARN(?:ING)?\b|level=warn|"level":\s*"warn/i;

/** How much a log line tells: cut the least telling ones first. */
function lineScore(line: string): number {
  if (isErrorLine(line)) return 3;
  if (WARN.test(line)) return 2;
  if (DEBUG.test(line)) return 0;
  return 1;
}

function objectId(f: Finding): string {
  return `${f.resource.kind} ${
    f.resource.namespace ? `${f.resource.namespace}/` : ''
  }${f.resource.name}`;
}

function about(text: string, ids: string[]): boolean {
  return ids.some(id => text === id || text.startsWith(`${id} `));
}

interface Candidate {
  section: 'log' | 'event' | 'object' | 'provided';
  /** Index of the log/event/object. */
  i: number;
  /** Index of the line within the log. */
  k: number;
  score: number;
  /** 0 for the oldest item of its list, 1 for the newest. */
  age: number;
}

/**
 * Fits a prompt context into `maxTokens` (a hard cap on the estimate; pass
 * the model's prompt limit minus what the template itself costs).
 *
 * Compress before cutting: every log goes through {@link compressLogs} first.
 * Only if that is not enough are lines cut, least relevant first (debug, then
 * info, then warnings, then errors; lines of containers without findings
 * before those with; Normal events before Warnings) and, within the same
 * relevance, oldest first. Findings, the log lines they cite and the events
 * they cite are never cut; object summaries unrelated to any finding go last.
 */
export function fitToBudget(
  context: PromptContext,
  maxTokens: number,
  options: FitOptions = {},
): FittedContext {
  const keep = new Set([
    ...evidenceLines(context.findings),
    ...(options.keep ?? []),
  ]);
  const isKept = (line: string) =>
    keep.has(line) || keep.has(line.replace(FOLDED, ''));
  const raw = measure(context);

  const compressed: PromptContext = {
    ...context,
    logs: context.logs.map(l => ({
      ...l,
      lines: compressLogs(l.lines, { keep }),
    })),
  };
  let current = measure(compressed);
  if (current.tokens <= maxTokens)
    return result(compressed, current, raw.chars, maxTokens);

  const ids = context.findings.map(objectId);
  const citedEvents = new Set(
    context.findings.flatMap(f =>
      f.evidence
        .filter(e => e.type === 'event')
        .map(e => `${e.reason ?? ''}\u0000${e.message ?? ''}`),
    ),
  );
  const candidates: Candidate[] = [];
  compressed.logs.forEach((log, i) => {
    const withFinding = context.findings.some(
      f =>
        f.resource.kind === 'Pod' &&
        f.resource.name === log.pod &&
        (f.resource.namespace ?? '') === log.namespace &&
        (f.container === undefined || f.container === log.container),
    );
    log.lines.forEach((line, k) => {
      if (isKept(line)) return;
      candidates.push({
        section: 'log',
        i,
        k,
        score: lineScore(line) + (withFinding ? 1 : 0),
        age: log.lines.length > 1 ? k / (log.lines.length - 1) : 1,
      });
    });
  });
  compressed.events.forEach((e, i) => {
    if (citedEvents.has(`${e.reason ?? ''}\u0000${e.message ?? ''}`)) return;
    candidates.push({
      section: 'event',
      i,
      k: 0,
      score: (e.type === 'Warning' ? 2 : 0) + (about(e.object, ids) ? 1 : 0),
      age:
        compressed.events.length > 1 ? i / (compressed.events.length - 1) : 1,
    });
  });
  (compressed.provided ?? []).forEach((line, i) => {
    // A module's fact about an object with a finding is worth more.
    candidates.push({
      section: 'provided',
      i,
      k: 0,
      score: 3 + (about(line, ids) ? 2 : 0),
      age: 0,
    });
  });
  compressed.objects.forEach((o, i) => {
    if (about(o, ids)) return;
    // Summaries are small and give the model its bearings: they go last.
    candidates.push({ section: 'object', i, k: 0, score: 10, age: 0 });
  });
  candidates.sort((a, b) => a.score - b.score || a.age - b.age);

  const cut = {
    log: new Set<string>(),
    event: new Set<number>(),
    object: new Set<number>(),
    provided: new Set<number>(),
  };
  // Token estimates add up over lines, so each cut is priced on its own.
  const costOf = (c: Candidate) => {
    if (c.section === 'log')
      return estimateTokens(compressed.logs[c.i].lines[c.k]);
    if (c.section === 'event')
      return estimateTokens(renderEvent(compressed.events[c.i]));
    if (c.section === 'provided')
      return estimateTokens(compressed.provided![c.i]);
    return estimateTokens(compressed.objects[c.i]);
  };

  let next = 0;
  let fitted = compressed;
  while (current.tokens > maxTokens && next < candidates.length) {
    // Cut by the summed estimates in one sweep, then re-measure: headers change a little
    // ("— N lines omitted"), so a second sweep may be needed.
    // At least one cut per sweep, so the loop always progresses.
    let tokens = current.tokens;
    do {
      const c = candidates[next++];
      if (c.section === 'log') cut.log.add(`${c.i}:${c.k}`);
      else cut[c.section].add(c.i);
      tokens -= costOf(c);
    } while (tokens > maxTokens && next < candidates.length);
    fitted = applyCuts(compressed, cut);
    current = measure(fitted);
  }
  return result(fitted, current, raw.chars, maxTokens);
}

function applyCuts(
  ctx: PromptContext,
  cut: {
    log: Set<string>;
    event: Set<number>;
    object: Set<number>;
    provided: Set<number>;
  },
): PromptContext {
  const logs: PromptLog[] = ctx.logs.map((log, i) => {
    const lines = log.lines.filter((_, k) => !cut.log.has(`${i}:${k}`));
    const removed = log.lines.length - lines.length;
    return removed > 0
      ? { ...log, lines, omittedLines: (log.omittedLines ?? 0) + removed }
      : log;
  });
  const events: PromptEvent[] = ctx.events.filter((_, i) => !cut.event.has(i));
  const objects = ctx.objects.filter((_, i) => !cut.object.has(i));
  const provided = ctx.provided?.filter((_, i) => !cut.provided.has(i));
  return { ...ctx, objects, events, logs, ...(provided ? { provided } : {}) };
}

function result(
  context: PromptContext,
  m: { text: string; chars: number; tokens: number },
  rawChars: number,
  maxTokens: number,
): FittedContext {
  return {
    context,
    text: m.text,
    fits: m.tokens <= maxTokens,
    stats: { rawChars, sentChars: m.chars, estimatedTokens: m.tokens },
  };
}
