'use client';
/**
 * The prompt history popup (on demand, see ./lazy.ts): a non-modal dialog with the searchbox
 * "Search prompts", the listbox "Prompt history" (its options are followed from the searchbox with
 * `aria-activedescendant`), a status line and "Clear history".
 */
import * as React from 'react';
import { searchPromptHistory, selectPromptHistory } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { usePromptFormIds } from './context';
import { byIdNear, originalTarget } from '../internal/shadow';

export interface PromptFormHistoryPopupProps {
  /** The form's base id: the popup is `${baseId}-history`, named by the button `${baseId}-history-button`. */
  baseId: string;
  /** Closes it (the popup moves the focus first, where it should go). */
  onClose(): void;
}

export function PromptFormHistoryPopup({ baseId, onClose }: PromptFormHistoryPopupProps) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const { promptRef, writePromptRef } = usePromptFormIds();
  const id = `${baseId}-history`;
  const buttonId = `${id}-button`;
  const history = useGenerator(selectPromptHistory);
  const [query, setQuery] = React.useState('');
  const [active, setActive] = React.useState(-1);
  const [cleared, setCleared] = React.useState(false);
  const popupRef = React.useRef<HTMLDivElement | null>(null);
  const searchRef = React.useRef<HTMLInputElement | null>(null);
  const matches = React.useMemo(() => searchPromptHistory(history, query), [history, query]);
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-option-${i}`;
  const current = active >= 0 && active < matches.length ? active : -1;

  React.useEffect(() => {
    searchRef.current?.focus();
  }, []);

  /** Whether `node` is outside the popup and its button (which toggles by itself). */
  const outside = React.useCallback(
    (node: Node | null) => !!node && !popupRef.current?.contains(node) && !byIdNear(popupRef.current, buttonId)?.contains(node),
    [buttonId],
  );

  // A press anywhere outside closes it, leaving the focus where it went.
  React.useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (outside(originalTarget(event) as Node | null)) onClose();
    };
    const doc = popupRef.current?.ownerDocument ?? document;
    doc.addEventListener('pointerdown', onPointerDown, true);
    return () => doc.removeEventListener('pointerdown', onPointerDown, true);
  }, [outside, onClose]);

  React.useEffect(() => {
    if (current < 0) return;
    byIdNear(popupRef.current, optionId(current))?.scrollIntoView?.({ block: 'nearest' });
  });

  const choose = (prompt: string) => {
    store.getState().setPrompt(prompt);
    writePromptRef?.current?.(prompt);
    promptRef.current?.focus();
    onClose();
  };

  const handleKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (matches.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(current < 0 ? (step === 1 ? 0 : matches.length - 1) : Math.max(0, Math.min(matches.length - 1, current + step)));
    } else if (event.key === 'Enter') {
      event.preventDefault(); // never submits the form
      if (current >= 0) choose(matches[current]!);
    }
  };

  const handlePopupKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault(); // also keeps the searchbox's text (browsers clear type=search on Escape)
    event.stopPropagation();
    byIdNear(popupRef.current, buttonId)?.focus();
    onClose();
  };

  // Tabbing out of it closes it; a press outside is handled above.
  const handleBlur = (event: React.FocusEvent<HTMLDivElement>) => {
    if (outside(event.relatedTarget as Node | null)) onClose();
  };

  const clear = () => {
    store.getState().clearHistory();
    setCleared(true);
    setQuery('');
    setActive(-1);
    searchRef.current?.focus();
  };

  const status =
    matches.length > 0
      ? ''
      : history.length > 0
        ? labels.historyNoMatch(query.trim())
        : cleared
          ? labels.historyCleared
          : labels.historyEmpty;

  return (
    <div
      id={id}
      role="dialog"
      aria-labelledby={buttonId}
      className="gen-PromptForm-historyPopup"
      onKeyDown={handlePopupKeyDown}
      onBlur={handleBlur}
      ref={popupRef}
    >
      <input
        type="search"
        className="gen-PromptForm-historySearch"
        aria-label={labels.searchPrompts}
        aria-controls={matches.length > 0 ? listId : undefined}
        aria-activedescendant={current >= 0 ? optionId(current) : undefined}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(-1);
          setCleared(false);
        }}
        onKeyDown={handleKeyDown}
        ref={searchRef}
      />
      {matches.length > 0 ? (
        <ul id={listId} role="listbox" aria-label={labels.promptHistory} className="gen-PromptForm-historyList">
          {matches.map((prompt, i) => (
            <li
              key={prompt}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              title={prompt}
              className="gen-PromptForm-historyOption"
              // Keeps the focus in the searchbox: the click chooses.
              onMouseDown={(event) => event.preventDefault()}
              onPointerMove={() => i !== current && setActive(i)}
              onClick={() => choose(prompt)}
            >
              {prompt}
            </li>
          ))}
        </ul>
      ) : null}
      <p role="status" className="gen-PromptForm-historyStatus">
        {status}
      </p>
      <div className="gen-PromptForm-historyFooter">
        <button type="button" className="gen-button gen-PromptForm-historyClear" data-variant="danger" disabled={history.length === 0} onClick={clear}>
          {labels.clearHistory}
        </button>
      </div>
    </div>
  );
}
