'use client';
import * as React from 'react';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { PromptFormRoot, type PromptFormRootProps } from './PromptFormRoot';
import { PromptFormPrompt } from './PromptFormPrompt';
import { PromptFormHistory } from './PromptFormHistory';
import { PromptFormCount, PromptFormResolution } from './PromptFormSelects';
import { LazyPromptFormParameters } from './lazy';
import { PromptFormErrors, PromptFormPrice, PromptFormStatus, PromptFormSubmit } from './PromptFormActions';

export interface PromptFormProps extends Omit<PromptFormRootProps, 'defaultValue'> {
  /** Controlled prompt text (see `PromptFormPrompt`). */
  value?: string;
  /** Initial prompt text when uncontrolled. */
  defaultValue?: string;
  /** Called with the new prompt text on every edit. */
  onValueChange?: (value: string) => void;
  /** @default labels.promptPlaceholder */
  placeholder?: string;
  /** Extra controls placed in the settings row, before the price and Generate (e.g. `<AspectRatioPicker />`). */
  children?: React.ReactNode;
  /**
   * Show "Advanced options": the current model's documented parameters (`PromptForm.Parameters`),
   * a full-width row after the settings and before Generate. @default false
   */
  parametersUi?: boolean;
}

/**
 * The whole form: prompt (with "Prompt history" beside it unless the provider's `history` is false), resolution, number of images, advanced options (with `parametersUi`),
 * price, Generate, status and errors.
 * Hosts that re-arrange use the parts (`PromptForm.Root`, `PromptForm.Prompt`, …).
 */
const PromptFormComposition = /* @__PURE__ */ React.forwardRef<HTMLFormElement, PromptFormProps>(function PromptFormComposition(
  { value, defaultValue, onValueChange, placeholder, children, parametersUi = false, ...rest },
  ref,
) {
  return (
    <PromptFormRoot {...rest} ref={ref}>
      <PromptFormPrompt value={value} defaultValue={defaultValue} onValueChange={onValueChange} placeholder={placeholder}>
        <PromptFormHistory />
      </PromptFormPrompt>
      <div className="gen-PromptForm-controls">
        {children}
        <PromptFormResolution />
        <PromptFormCount />
        {parametersUi ? <LazyPromptFormParameters /> : null}
        <div className="gen-PromptForm-actions">
          <PromptFormPrice />
          <PromptFormSubmit />
        </div>
      </div>
      <PromptFormStatus />
      <PromptFormErrors />
    </PromptFormRoot>
  );
});

// A crash here shows a recoverable message and leaves the other components working (issue 6).
const PromptFormImpl = /* @__PURE__ */ React.forwardRef<HTMLFormElement, PromptFormProps>(function PromptForm(props, ref) {
  return (
    <GeneratorErrorBoundary name="PromptForm">
      <PromptFormComposition {...props} ref={ref} />
    </GeneratorErrorBoundary>
  );
});

/** `PromptForm` plus its parts as static members (`PromptForm.Prompt`, `PromptForm.Submit`, …). */
export const PromptForm = /* @__PURE__ */ Object.assign(PromptFormImpl, {
  Root: PromptFormRoot,
  Prompt: PromptFormPrompt,
  History: PromptFormHistory,
  Resolution: PromptFormResolution,
  Count: PromptFormCount,
  Parameters: LazyPromptFormParameters,
  Price: PromptFormPrice,
  Submit: PromptFormSubmit,
  Status: PromptFormStatus,
  Errors: PromptFormErrors,
});
