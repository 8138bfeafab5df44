'use client';
import * as React from 'react';
import { formatMessage } from '../../labels/format';
import { selectHistoryEnabled, selectIssues, selectMaxPromptLength, selectPrompt } from '../../store/selectors';
import type { FieldIssue } from '../../core/models';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { useAutosize } from '../../hooks/useAutosize';
import { useStoreControllable } from '../../hooks/useStoreControllable';
import { issueId, usePromptFormIds } from './context';

export interface PromptFormPromptProps extends Omit<React.ComponentPropsWithoutRef<'div'>, 'defaultValue'> {
  /** Controlled prompt text. It is mirrored into the store so Generate sends what the user sees. */
  value?: string;
  /** Initial prompt text when uncontrolled (written to the store on mount). */
  defaultValue?: string;
  /** Called with the new text on every edit, controlled or not. */
  onValueChange?: (value: string) => void;
  /** @default labels.promptPlaceholder */
  placeholder?: string;
  /** Name of the textarea, for hosts that also read the form natively. */
  name?: string;
  /** Focus the textbox on mount. @default false */
  autoFocus?: boolean;
  /** Minimum visible lines; the textbox grows with its content. @default 3 */
  rows?: number;
  /**
   * Placed under the textbox, after the hint and the character count (so the Tab order is the
   * prompt, then these): where `<PromptForm>` puts `PromptForm.History`.
   */
  children?: React.ReactNode;
}

type CountState = 'ok' | 'near' | 'over';

/**
 * The label "Prompt", a textarea that grows, the character count against the model's limit, the
 * Ctrl/⌘+Enter hint and the prompt's validation messages (linked with `aria-describedby`).
 * Alt+ArrowUp / Alt+ArrowDown step through the prompt history (the store's `stepHistory`); stepping
 * past the newest entry gives back what was typed.
 *
 * @selector [data-invalid] — empty prompt after Generate, or longer than the model allows
 * @selector .gen-PromptForm-count[data-state="ok" | "near" | "over"]
 */
export const PromptFormPrompt = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormPromptProps>(function PromptFormPrompt(
  { value, defaultValue, onValueChange, placeholder, name, autoFocus, rows = 3, className, children, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const { baseId, promptRef, writePromptRef } = usePromptFormIds();
  const stored = useGenerator(selectPrompt);
  const maxLength = useGenerator(selectMaxPromptLength);
  const issues = useGenerator(selectIssues);
  const historyEnabled = useGenerator(selectHistoryEnabled);

  const [prompt, setPrompt] = useStoreControllable({
    prop: value,
    defaultProp: defaultValue,
    onChange: onValueChange,
    stored,
    write: (next: string) => store.getState().setPrompt(next),
    caller: 'PromptFormPrompt',
  });

  const textareaRef = React.useRef<HTMLTextAreaElement | null>(null);
  const setTextareaRef = React.useCallback(
    (node: HTMLTextAreaElement | null) => {
      textareaRef.current = node;
      promptRef.current = node;
    },
    [promptRef],
  );
  useAutosize(textareaRef, prompt);

  // Lets the prompt history fill the prompt as typing would (a controlled prompt's host hears of it).
  React.useEffect(() => {
    if (writePromptRef) writePromptRef.current = setPrompt;
  }, [writePromptRef, setPrompt]);

  const length = countCharacters(prompt.trim());
  const countState: CountState = maxLength === undefined ? 'ok' : length > maxLength ? 'over' : length >= maxLength * 0.9 ? 'near' : 'ok';
  const promptIssues = issues.filter((issue) => issue.field === 'prompt');
  // The store's own too_long message says the same as ours; show one of them.
  const showOverMessage = countState === 'over' && !promptIssues.some((issue) => issue.code === 'too_long');
  const invalid = promptIssues.length > 0 || countState === 'over';
  const showCount = maxLength !== undefined || length > 0;
  const ids = promptIds(baseId);

  const handleKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    // Alt+ArrowUp / Alt+ArrowDown: the prompt history, when there is something to step to.
    if (event.altKey && /^Arrow(Up|Down)$/.test(event.key) && !(event.ctrlKey || event.metaKey || event.shiftKey)) {
      if (event.nativeEvent.isComposing || !store.getState().stepHistory(event.key === 'ArrowUp' ? -1 : 1)) return;
      event.preventDefault();
      return setPrompt(store.getState().prompt); // as typed: a controlled prompt's host follows
    }
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.nativeEvent.isComposing) return;
    event.preventDefault();
    const form = event.currentTarget.form;
    if (form) form.requestSubmit();
    else void store.getState().submit(); // a host placed the prompt outside any form
  };

  return (
    <div data-invalid={invalid ? '' : undefined} {...rest} className={cx('gen-PromptForm-prompt', className)} ref={ref}>
      <label className="gen-PromptForm-label" id={ids.label} htmlFor={ids.textarea}>
        {labels.prompt}
      </label>
      <textarea
        id={ids.textarea}
        className="gen-PromptForm-textarea"
        name={name}
        rows={rows}
        autoFocus={autoFocus}
        value={prompt}
        placeholder={placeholder ?? labels.promptPlaceholder}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(baseId, promptIssues, showOverMessage, showCount)}
        aria-keyshortcuts={'Control+Enter Meta+Enter' + (historyEnabled ? ' Alt+ArrowUp Alt+ArrowDown' : '')}
        data-invalid={invalid ? '' : undefined}
        onChange={(event) => setPrompt(event.target.value)}
        onKeyDown={handleKeyDown}
        ref={setTextareaRef}
      />
      <PromptFooter baseId={baseId} length={length} maxLength={maxLength} countState={countState} showCount={showCount}>
        {children}
      </PromptFooter>
      <PromptMessages baseId={baseId} issues={promptIssues} length={length} maxLength={showOverMessage ? maxLength : undefined} />
    </div>
  );
});

function promptIds(baseId: string) {
  return {
    textarea: `${baseId}-prompt`,
    label: `${baseId}-prompt-label`,
    count: `${baseId}-prompt-count`,
    over: `${baseId}-prompt-over`,
    hint: `${baseId}-prompt-hint`,
  };
}

function describedBy(baseId: string, promptIssues: readonly FieldIssue[], showOverMessage: boolean, showCount: boolean): string {
  const ids = promptIds(baseId);
  return [
    ...promptIssues.map((_, i) => issueId(baseId, 'prompt', i)),
    showOverMessage ? ids.over : undefined,
    showCount ? ids.count : undefined,
    ids.hint,
  ]
    .filter(Boolean)
    .join(' ');
}

interface PromptFooterProps {
  baseId: string;
  length: number;
  maxLength: number | undefined;
  countState: CountState;
  showCount: boolean;
  children?: React.ReactNode;
}

/** The Ctrl/⌘+Enter hint, the character count, and what the caller puts after them (the history button). */
function PromptFooter({ baseId, length, maxLength, countState, showCount, children }: PromptFooterProps) {
  const labels = useLabels();
  const isMac = React.useSyncExternalStore(subscribeNothing, detectMac, () => false);
  const ids = promptIds(baseId);
  return (
    <div className="gen-PromptForm-promptFooter">
      <span className="gen-PromptForm-hint" id={ids.hint}>
        {labels.submitShortcut(isMac)}
      </span>
      {showCount ? (
        <span
          className="gen-PromptForm-count"
          id={ids.count}
          data-state={countState}
          data-invalid={countState === 'over' ? '' : undefined}
          // Only speak the count when it matters; every keystroke would be noise otherwise.
          aria-live={countState === 'ok' ? undefined : 'polite'}
        >
          {labels.characterCount(length, maxLength)}
        </span>
      ) : null}
      {children}
    </div>
  );
}

interface PromptMessagesProps {
  baseId: string;
  issues: readonly FieldIssue[];
  length: number;
  /** Set only when the "too long" message of the count is shown. */
  maxLength: number | undefined;
}

/** "Too long" from the count, then the problems the last Generate press found with the prompt. */
function PromptMessages({ baseId, issues, length, maxLength }: PromptMessagesProps) {
  const labels = useLabels();
  return (
    <>
      {maxLength !== undefined ? (
        <p className="gen-PromptForm-message" id={promptIds(baseId).over} data-invalid="">
          {labels.promptTooLong(length, maxLength)}
        </p>
      ) : null}
      {issues.map((issue, i) => (
        <p key={`${issue.code}-${i}`} className="gen-PromptForm-message" id={issueId(baseId, 'prompt', i)} role="alert" data-invalid="">
          {formatMessage(labels, issue)}
        </p>
      ))}
    </>
  );
}

/** Characters as a person counts them (code points), matching the store's validation. */
function countCharacters(text: string): number {
  return Array.from(text).length;
}

const subscribeNothing = () => () => {};
function detectMac(): boolean {
  if (typeof navigator === 'undefined') return false;
  const platform =
    (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? '';
  return /mac|iphone|ipad|ipod/i.test(platform);
}
