// Every part long (`PromptFormSubmit`) and as a static member of the component (`PromptForm.Submit`).
export { PromptForm, type PromptFormProps } from './PromptForm';
export { PromptFormRoot, type PromptFormRootProps } from './PromptFormRoot';
export { PromptFormPrompt, type PromptFormPromptProps } from './PromptFormPrompt';
export { PromptFormResolution, PromptFormCount, type PromptFormResolutionProps, type PromptFormCountProps } from './PromptFormSelects';
export { PromptFormParameters, type PromptFormParametersProps } from './PromptFormParameters';
export {
  PromptFormPrice,
  PromptFormSubmit,
  PromptFormStatus,
  PromptFormErrors,
  type PromptFormPriceProps,
  type PromptFormSubmitProps,
  type PromptFormStatusProps,
  type PromptFormErrorsProps,
} from './PromptFormActions';
export { PromptFormHistory, type PromptFormHistoryProps } from './PromptFormHistory';
