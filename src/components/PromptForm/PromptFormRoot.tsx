'use client';
import * as React from 'react';
import { selectHasIssues, selectSubmitState } from '../../store/selectors';
import { useGenerator, useGeneratorStore } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { PromptFormContext } from './context';
import { activeElementNear } from '../internal/shadow';

export type PromptFormRootProps = React.ComponentPropsWithoutRef<'form'>;

/**
 * The `<form>`. Submitting it (the Generate button, Ctrl/⌘+Enter in the prompt) calls the store's
 * `submit()` once; a host `onSubmit` runs first and can `preventDefault()` to stop it.
 *
 * @selector [data-state="idle" | "waiting" | "submitting"] — the store's `submitState`
 * @selector [data-invalid] — the last Generate press found problems
 */
export const PromptFormRoot = /* @__PURE__ */ React.forwardRef<HTMLFormElement, PromptFormRootProps>(function PromptFormRoot(
  { className, onSubmit, children, ...rest },
  ref,
) {
  const store = useGeneratorStore();
  const submitState = useGenerator(selectSubmitState);
  const hasIssues = useGenerator(selectHasIssues);
  const baseId = React.useId();
  const promptRef = React.useRef<HTMLTextAreaElement | null>(null);
  const writePromptRef = React.useRef<((value: string) => void) | null>(null);

  const focusPromptIfInvalid = React.useCallback(() => {
    const textarea = promptRef.current;
    if (!textarea || activeElementNear(textarea) === textarea) return;
    if (store.getState().issues.some((issue) => issue.field === 'prompt')) textarea.focus();
  }, [store]);

  const handleSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The store owns the rules for presses in a row: one while waiting for uploads is ignored, one
    // while a request is on its way is sent once that request is answered unless it is the same
    // request. (The Generate button itself ignores clicks then: it is aria-disabled.)
    const pending = store.getState().submit();
    focusPromptIfInvalid(); // validation runs synchronously inside submit()
    pending
      .catch(() => undefined) // failures are store state (task.error, onError), never thrown at the form
      .finally(focusPromptIfInvalid);
  };

  const context = React.useMemo(() => ({ baseId, promptRef, writePromptRef }), [baseId]);

  return (
    <PromptFormContext.Provider value={context}>
      <form
        noValidate
        data-state={submitState}
        data-invalid={hasIssues ? '' : undefined}
        {...rest}
        className={cx('gen-PromptForm', className)}
        onSubmit={composeEventHandlers(onSubmit, handleSubmit)}
        ref={ref}
      >
        {children}
      </form>
    </PromptFormContext.Provider>
  );
});
