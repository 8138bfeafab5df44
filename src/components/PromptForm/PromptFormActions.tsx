'use client';
import * as React from 'react';
import { formatMessage } from '../../labels/format';
import { Slot } from '@radix-ui/react-slot';
import { selectEstimatedPrice, selectIssues, selectPendingUploads, selectSubmitState } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { FORM_LEVEL_FIELDS, issueId, usePromptFormIds } from './context';

/* -------------------------------------------------------------------------------------------------
 * PromptFormPrice
 * -----------------------------------------------------------------------------------------------*/

export type PromptFormPriceProps = React.ComponentPropsWithoutRef<'p'>;

/** Estimated price for the chosen resolution and count; renders nothing when unknown. */
export const PromptFormPrice = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, PromptFormPriceProps>(function PromptFormPrice(
  { className, ...rest },
  ref,
) {
  const labels = useLabels();
  const price = useGenerator(selectEstimatedPrice);
  if (price === undefined) return null;
  return (
    <p {...rest} className={cx('gen-PromptForm-price', className)} ref={ref}>
      {labels.estimatedPrice(price)}
    </p>
  );
});

/* -------------------------------------------------------------------------------------------------
 * PromptFormSubmit
 * -----------------------------------------------------------------------------------------------*/

export interface PromptFormSubmitProps extends React.ComponentPropsWithoutRef<'button'> {
  /** Render the child element as the button (Radix `Slot`); it keeps the submit behaviour. @default false */
  asChild?: boolean;
}

/**
 * The Generate button (`type="submit"`). Its name stays "Generate"; while the form waits or
 * sends it shows a spinner and is `aria-disabled` (not `disabled`, so focus stays on it).
 *
 * @selector [data-state="idle" | "waiting" | "submitting"]
 */
export const PromptFormSubmit = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, PromptFormSubmitProps>(function PromptFormSubmit(
  { asChild = false, className, children, onClick, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const { baseId } = usePromptFormIds();
  const submitState = useGenerator(selectSubmitState);
  const busy = submitState !== 'idle';

  const handleClick = (event: React.MouseEvent<HTMLButtonElement>) => {
    // The second click of a double click (`detail` 2+) never submits, even when the first request
    // has already been answered; and read the store, not the render, which can lag a fast click.
    if (event.detail > 1 || store.getState().submitState !== 'idle') event.preventDefault();
  };

  const Comp = asChild ? Slot : 'button';
  return (
    <Comp
      type={asChild ? undefined : 'submit'}
      data-variant="primary"
      data-state={submitState}
      aria-disabled={busy || undefined}
      aria-describedby={`${baseId}-status`}
      {...rest}
      className={cx('gen-button', 'gen-PromptForm-submit', className)}
      onClick={composeEventHandlers(onClick, handleClick)}
      ref={ref}
    >
      {asChild ? (
        children
      ) : (
        <>
          <span className="gen-PromptForm-spinner" aria-hidden="true" />
          <span className="gen-PromptForm-submitText">{children ?? labels.generate}</span>
        </>
      )}
    </Comp>
  );
});

/* -------------------------------------------------------------------------------------------------
 * PromptFormStatus
 * -----------------------------------------------------------------------------------------------*/

export type PromptFormStatusProps = React.ComponentPropsWithoutRef<'p'>;

/**
 * A polite live region: "Waiting for N reference images to finish uploading…" while Generate waits,
 * then "Sending…". Always rendered (empty when idle) so the announcement is not lost.
 *
 * @selector [data-state="idle" | "waiting" | "submitting"]
 */
export const PromptFormStatus = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, PromptFormStatusProps>(function PromptFormStatus(
  { className, ...rest },
  ref,
) {
  const labels = useLabels();
  const { baseId } = usePromptFormIds();
  const submitState = useGenerator(selectSubmitState);
  const pending = useGenerator(selectPendingUploads);
  const text =
    submitState === 'waiting' ? labels.waitingForUploads(Math.max(1, pending)) : submitState === 'submitting' ? labels.submitting : '';
  return (
    <p
      id={`${baseId}-status`}
      aria-live="polite"
      aria-atomic="true"
      data-state={submitState}
      {...rest}
      className={cx('gen-PromptForm-status', className)}
      ref={ref}
    >
      {text}
    </p>
  );
});

/* -------------------------------------------------------------------------------------------------
 * PromptFormErrors
 * -----------------------------------------------------------------------------------------------*/

export type PromptFormErrorsProps = React.ComponentPropsWithoutRef<'div'>;

/**
 * Problems the last Generate press found with the aspect ratio, resolution, count, model or
 * references, in `role="alert"`. Renders nothing when there are none.
 */
export const PromptFormErrors = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormErrorsProps>(function PromptFormErrors(
  { className, ...rest },
  ref,
) {
  const { baseId } = usePromptFormIds();
  const labels = useLabels();
  const issues = useGenerator(selectIssues);
  const shown = FORM_LEVEL_FIELDS.flatMap((field) =>
    issues.filter((issue) => issue.field === field).map((issue, i) => ({ issue, id: issueId(baseId, field, i) })),
  );
  if (shown.length === 0) return null;
  return (
    <div role="alert" {...rest} className={cx('gen-PromptForm-errors', className)} ref={ref}>
      {shown.map(({ issue, id }) => (
        <p key={id} id={id} className="gen-PromptForm-error" data-field={issue.field}>
          {formatMessage(labels, issue)}
        </p>
      ))}
    </div>
  );
});
