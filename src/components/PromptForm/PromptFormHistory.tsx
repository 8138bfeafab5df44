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
 * The "Prompt history" button, which `<PromptForm>` puts under the prompt after the character count.
 * It opens a non-modal dialog (its code loads on demand) with the searchbox "Search prompts", the
 * listbox "Prompt history" (newest first) and "Clear history". Choosing a prompt fills the prompt
 * and puts the focus back in it; Escape closes and returns to the button; so does a press outside
 * (the focus stays where it went). Renders nothing when the history is off (the provider's or the
 * store's `history: false`).
 *
 * @selector .gen-PromptForm-historyButton[aria-expanded="true" | "false"]
 * @selector .gen-PromptForm-historyPopup — the dialog
 */
export const PromptFormHistory = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, PromptFormHistoryProps>(function PromptFormHistory(
  { defaultOpen = false, className, onClick, onKeyDown, onPointerEnter, onFocus, ...rest },
  ref,
) {
  const labels = useLabels();
  const { history } = useGeneratorContext('PromptFormHistory');
  const enabled = useGenerator(selectHistoryEnabled) && history !== false;
  const { baseId } = usePromptFormIds();
  const [open, setOpen] = React.useState(defaultOpen);
  const close = React.useCallback(() => setOpen(false), []);
  if (!enabled) return null;
  // Hovering or focusing the button starts loading the popup, so it is there by the click.
  const preload = () => void historyPopupModule.load().catch(() => {});
  return (
    <div className="gen-PromptForm-history">
      <button
        type="button"
        id={`${baseId}-history-button`}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? `${baseId}-history` : undefined}
        {...rest}
        className={cx('gen-button', 'gen-PromptForm-historyButton', className)}
        onPointerEnter={composeEventHandlers(onPointerEnter, preload)}
        onFocus={composeEventHandlers(onFocus, preload)}
        onClick={composeEventHandlers(onClick, () => setOpen(!open))}
        onKeyDown={composeEventHandlers(onKeyDown, (event) => event.key === 'Escape' && close())}
        ref={ref}
      >
        {labels.promptHistory}
      </button>
      {open ? <LazyPromptFormHistoryPopup baseId={baseId} onClose={close} /> : null}
    </div>
  );
});
