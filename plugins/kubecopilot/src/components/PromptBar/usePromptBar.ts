import { useApi } from '@backstage/frontend-plugin-api';
import {
  OperationPlan,
  QueryResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { RefObject, useEffect, useState } from 'react';
import { kubecopilotApiRef } from '../../api';
import { describeError } from '../PlanReview/PlanNotices';

/** True when a key press belongs to a field the user is typing in. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
  );
}

/** "/" anywhere on the page (outside a text field) focuses the input. */
export function useSlashToFocus(input: RefObject<HTMLInputElement>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [input]);
}

/** The last 20 questions, newest first, walked with ↑ and ↓. */
function usePromptHistory(setQuestion: (question: string) => void) {
  const [history, setHistory] = useState<string[]>([]);
  const [cursor, setCursor] = useState<number>(-1);

  const remember = (text: string) => {
    setHistory(h => [text, ...h.filter(q => q !== text)].slice(0, 20));
    setCursor(-1);
  };

  /** Handles ↑ and ↓; returns whether the key was used. */
  const walk = (event: React.KeyboardEvent): boolean => {
    if (event.key === 'ArrowUp' && history.length > 0) {
      event.preventDefault();
      const next = Math.min(cursor + 1, history.length - 1);
      setCursor(next);
      setQuestion(history[next]);
      return true;
    }
    if (event.key === 'ArrowDown' && cursor >= 0) {
      event.preventDefault();
      const next = cursor - 1;
      setCursor(next);
      setQuestion(next >= 0 ? history[next] : '');
      return true;
    }
    return false;
  };

  return { remember, walk, resetCursor: () => setCursor(-1) };
}

/**
 * The prompt bar's state: the question, asking it, drafting a plan from an
 * understood intent, and the keyboard (Enter, ↑/↓ history, Escape).
 */
export function usePromptBar(
  entityRef: string | undefined,
  onPlanCreated: (plan: OperationPlan) => void,
) {
  const api = useApi(kubecopilotApiRef);
  const [question, setQuestion] = useState('');
  const [asking, setAsking] = useState(false);
  const [drafting, setDrafting] = useState(false);
  const [answer, setAnswer] = useState<QueryResponse>();
  const [error, setError] = useState<string>();
  const history = usePromptHistory(setQuestion);

  const ask = async () => {
    const text = question.trim();
    if (!text || !entityRef) return;
    history.remember(text);
    setAsking(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await api.query(entityRef, text));
    } catch (e) {
      setError(describeError(e as Error).message);
    } finally {
      setAsking(false);
    }
  };

  const draft = async () => {
    if (!answer || answer.type !== 'intent' || !entityRef) return;
    setDrafting(true);
    setError(undefined);
    try {
      const created = await api.createPlan({
        entityRef,
        intent: answer.question,
      });
      setAnswer(undefined);
      setQuestion('');
      onPlanCreated(created);
    } catch (e) {
      setError(describeError(e as Error).message);
    } finally {
      setDrafting(false);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      ask();
      return;
    }
    if (history.walk(event)) return;
    if (event.key === 'Escape') {
      setAnswer(undefined);
      setError(undefined);
    }
  };

  const onChange = (value: string) => {
    setQuestion(value);
    history.resetCursor();
  };

  return {
    question,
    asking,
    drafting,
    answer,
    error,
    ask,
    draft,
    onKeyDown,
    onChange,
  };
}
