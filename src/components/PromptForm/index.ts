export {
  PromptForm,
  PromptFormRoot,
  PromptFormPrompt,
  PromptFormResolution,
  PromptFormCount,
  PromptFormPrice,
  PromptFormSubmit,
  PromptFormStatus,
  PromptFormErrors,
} from './PromptForm';
export type {
  PromptFormProps,
  PromptFormRootProps,
  PromptFormPromptProps,
  PromptFormResolutionProps,
  PromptFormCountProps,
  PromptFormPriceProps,
  PromptFormSubmitProps,
  PromptFormStatusProps,
  PromptFormErrorsProps,
} from './PromptForm';
