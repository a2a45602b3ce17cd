import { StateEffect, StateField } from '@codemirror/state';
import { Decoration, DecorationSet, EditorView } from '@codemirror/view';

/** Marks the line at a position as the one a check pointed at. */
export const highlightLineAt = StateEffect.define<number>();

const targetLine = Decoration.line({
  attributes: { class: 'cm-kc-target-line', 'data-target-line': 'true' },
});

/**
 * The line a check's "line N" link points at, highlighted. It works while
 * the editor is read-only, where there is no cursor to move; an edit clears
 * it, since the text it pointed at may be gone.
 */
export const lineHighlight = [
  StateField.define<DecorationSet>({
    create: () => Decoration.none,
    update(value, tr) {
      let next = tr.docChanged ? Decoration.none : value;
      for (const effect of tr.effects) {
        if (effect.is(highlightLineAt)) {
          const line = tr.state.doc.lineAt(
            Math.min(effect.value, tr.state.doc.length),
          );
          next = Decoration.set([targetLine.range(line.from)]);
        }
      }
      return next;
    },
    provide: field => EditorView.decorations.from(field),
  }),
  EditorView.baseTheme({
    '.cm-kc-target-line': { backgroundColor: 'rgba(255, 193, 7, 0.25)' },
  }),
];
