import type { PostmortemDraft } from './buildPostmortem';

/** `2026-12-07 01:02:31.123`: the timeline's header says UTC. */
const shortTime = (iso: string) => iso.replace('T', ' ').replace(/Z$/, '');

/** A table cell: one line, pipes escaped. */
const cell = (text: string) =>
  text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

function verification(draft: Omit<PostmortemDraft, 'markdown'>): string {
  const v = draft.auditVerification;
  if (!v.ok) {
    return `**does not verify**${
      v.firstBrokenId !== undefined ? ` from entry ${v.firstBrokenId}` : ''
    }${v.reason ? ` (${v.reason})` : ''}`;
  }
  const signed = v.signed ? ', signed checkpoints verified' : '';
  return `verified: ${v.checked} entries intact${signed}`;
}

/**
 * The draft as Markdown that pastes cleanly into a Git repository or
 * TechDocs: headings, a facts table, a timeline table, task-list items.
 */
export function renderMarkdown(
  draft: Omit<PostmortemDraft, 'markdown'>,
): string {
  const lines = [
    `# ${draft.title}`,
    '',
    '> Draft by KubeCopilot from its records (rules and templates, no LLM). Check and edit before publishing.',
    '',
    '| | |',
    '| --- | --- |',
    `| Entity | \`${draft.entityRef}\` |`,
    `| Window (UTC) | ${draft.from} → ${draft.to} |`,
    `| Audit chain | ${cell(verification(draft))} |`,
    '',
    '## Impact',
    '',
    draft.impact,
    '',
    '## Probable cause',
    '',
    `${draft.probableCause.text}${
      draft.probableCause.refs.length
        ? ` (${draft.probableCause.refs.map(r => `\`${r}\``).join(', ')})`
        : ''
    }`,
    '',
    '## What was done',
    '',
    ...(draft.actionsTaken.length
      ? draft.actionsTaken.map(a => `- ${a}`)
      : ['- Nothing was executed through KubeCopilot in this window.']),
    '',
    '## Timeline (UTC)',
    '',
    '| Time | Source | What | Ref |',
    '| --- | --- | --- | --- |',
    ...draft.timeline.map(
      e =>
        `| ${shortTime(e.at)} | ${e.source} | ${cell(e.text)} | \`${e.ref}\` |`,
    ),
    '',
    '## Action items',
    '',
    ...(draft.actionItems.length
      ? draft.actionItems.map(a => `- [ ] ${a}`)
      : ['- [ ] (none found by the rules; add yours)']),
  ];
  if (draft.errors.length) {
    lines.push('', '## Gaps', '', ...draft.errors.map(e => `- Not read: ${e}`));
  }
  return `${lines.join('\n')}\n`;
}
