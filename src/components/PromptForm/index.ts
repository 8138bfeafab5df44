export {
  PromptForm,
  PromptFormRoot,
  PromptFormPrompt,
  PromptFormResolution,
  PromptFormCount,
  PromptFormParameters,
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
  PromptFormParametersProps,
  PromptFormPriceProps,
  PromptFormSubmitProps,
  PromptFormStatusProps,
  PromptFormErrorsProps,
} from './PromptForm';
