'use client';
import * as React from 'react';
import { selectHistoryEnabled } from '../../store/selectors';
import { useGenerator, useLabels } from '../../hooks/useGenerator';
import { useGeneratorContext } from '../../hooks/GeneratorContext';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { usePromptFormIds } from './context';
import { historyPopupModule, LazyPromptFormHistoryPopup } from './lazy';

export interface PromptFormHistoryProps extends React.ComponentPropsWithoutRef<'button'> {
  /** Open the popup at first render (stories, tests). @default false */
  defaultOpen?: boolean;
}

/**
 * The "Prompt history" button beside the prompt. It opens a non-modal dialog (loaded on demand) with
 * the searchbox "Search prompts", the listbox "Prompt history" (newest first) and "Clear history".
 * Choosing a prompt fills the prompt and puts the focus back in it; Escape closes and returns to the
 * button. Renders nothing when the history is off (the provider's or the store's `history: false`).
 *
 * @selector .gen-PromptForm-historyButton[aria-expanded="true" | "false"]
 * @selector .gen-PromptForm-historyPopup — the dialog
 */
export const PromptFormHistory = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, PromptFormHistoryProps>(function PromptFormHistory(
  { defaultOpen = false, className, onClick, onPointerEnter, onFocus, ...rest },
  ref,
) {
  const labels = useLabels();
  const { history } = useGeneratorContext('PromptFormHistory');
  const enabled = useGenerator(selectHistoryEnabled) && history !== false;
  const { baseId, promptRef, writePromptRef } = usePromptFormIds();
  const [open, setOpen] = React.useState(defaultOpen);
  const buttonRef = React.useRef<HTMLButtonElement | null>(null);
  const setButtonRef = React.useCallback(
    (node: HTMLButtonElement | null) => {
      buttonRef.current = node;
      if (typeof ref === 'function') ref(node);
      else if (ref) ref.current = node;
    },
    [ref],
  );
  const popupId = `${baseId}-history`;
  const buttonId = `${baseId}-history-button`;

  const close = React.useCallback((focus: 'button' | 'prompt' | 'none') => {
    setOpen(false);
    if (focus === 'button') buttonRef.current?.focus();
    else if (focus === 'prompt') promptRef.current?.focus();
  }, [promptRef]);

  if (!enabled) return null;
  // Hovering or focusing the button starts loading the popup, so it is there by the click.
  const preload = () => void historyPopupModule.load().catch(() => undefined);
  return (
    <div className="gen-PromptForm-history">
      <button
        type="button"
        id={buttonId}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? popupId : undefined}
        {...rest}
        className={cx('gen-button', 'gen-PromptForm-historyButton', className)}
        onPointerEnter={composeEventHandlers(onPointerEnter, preload)}
        onFocus={composeEventHandlers(onFocus, preload)}
        onClick={composeEventHandlers(onClick, () => setOpen((o) => !o))}
        ref={setButtonRef}
      >
        <HistoryIcon />
        <span className="gen-PromptForm-historyButtonText">{labels.promptHistory}</span>
      </button>
      {open ? (
        <LazyPromptFormHistoryPopup id={popupId} labelledBy={buttonId} anchorRef={buttonRef} writePromptRef={writePromptRef} onClose={close} />
      ) : null}
    </div>
  );
});

function HistoryIcon() {
  return (
    <svg className="gen-PromptForm-historyIcon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v2.6h2.6M8 5v3.2l2.2 1.4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
