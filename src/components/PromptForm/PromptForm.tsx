'use client';
import * as React from 'react';
import * as Select from '@radix-ui/react-select';
import { Slot } from '@radix-ui/react-slot';
import { estimatePrice, resolutionsForRatio, type GenerationField } from '../../core/models';
import type { ModelParameters, ParameterSpec, ParameterValue } from '../../core/parameters';
import {
  selectAspectRatio,
  selectCapabilities,
  selectIssues,
  selectN,
  selectParameters,
  selectPendingUploads,
  selectPrompt,
  selectResolution,
  selectSubmitState,
} from '../../store/selectors';
import type { GeneratorState } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { useGeneratorContext } from '../../hooks/GeneratorContext';
import type { Labels } from '../../labels/en';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { readTheme } from '../../hooks/readTheme';
import { useAutosize } from '../../hooks/useAutosize';
import { useStoreControllable } from '../../hooks/useStoreControllable';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';

/* -------------------------------------------------------------------------------------------------
 * PromptForm context (ids shared between parts; optional, so parts also work on their own)
 * -----------------------------------------------------------------------------------------------*/

interface PromptFormContextValue {
  /** Base for every id the parts link with `aria-describedby`. */
  baseId: string;
  /** The prompt textarea, focused when Generate finds a problem with the prompt. */
  promptRef: React.RefObject<HTMLTextAreaElement | null>;
}

const PromptFormContext = React.createContext<PromptFormContextValue | null>(null);

/** Ids from the nearest `PromptFormRoot`, or local ones when a part is used without it. */
function usePromptFormIds(): PromptFormContextValue {
  const context = React.useContext(PromptFormContext);
  const localId = React.useId();
  const localRef = React.useRef<HTMLTextAreaElement | null>(null);
  return context ?? { baseId: localId, promptRef: localRef };
}

/** The `id` of the message for the `index`-th issue about `field`. */
function issueId(baseId: string, field: GenerationField, index: number) {
  return `${baseId}-issue-${field}-${index}`;
}

/** Fields whose issues go to the shared error area (the prompt's sit under the textbox). */
const FORM_LEVEL_FIELDS: readonly GenerationField[] = ['model', 'aspectRatio', 'resolution', 'n', 'references', 'parameters'];

/* -------------------------------------------------------------------------------------------------
 * PromptFormRoot
 * -----------------------------------------------------------------------------------------------*/

type PromptFormRootProps = React.ComponentPropsWithoutRef<'form'>;

/**
 * The `<form>`. Submitting it (the Generate button, Ctrl/⌘+Enter in the prompt) calls the store's
 * `submit()` once; a host `onSubmit` runs first and can `preventDefault()` to stop it.
 *
 * @selector [data-state="idle" | "waiting" | "submitting"] — the store's `submitState`
 * @selector [data-invalid] — the last Generate press found problems
 */
const PromptFormRoot = /* @__PURE__ */ React.forwardRef<HTMLFormElement, PromptFormRootProps>(function PromptFormRoot(
  { className, onSubmit, children, ...rest },
  ref,
) {
  const store = useGeneratorStore();
  const submitState = useGenerator(selectSubmitState);
  const hasIssues = useGenerator(selectHasIssues);
  const baseId = React.useId();
  const promptRef = React.useRef<HTMLTextAreaElement | null>(null);
  // The store already ignores a second submit while one runs; this also covers the gap before
  // the store's state reaches React (two clicks inside one frame).
  const inFlight = React.useRef(false);

  const focusPromptIfInvalid = React.useCallback(() => {
    const textarea = promptRef.current;
    if (!textarea || document.activeElement === textarea) return;
    if (store.getState().issues.some((issue) => issue.field === 'prompt')) textarea.focus();
  }, [store]);

  const handleSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const state = store.getState();
    if (inFlight.current || state.submitState !== 'idle') return;
    inFlight.current = true;
    const pending = state.submit();
    focusPromptIfInvalid(); // validation runs synchronously inside submit()
    pending
      .catch(() => undefined) // failures are store state (task.error, onError), never thrown at the form
      .finally(() => {
        inFlight.current = false;
        focusPromptIfInvalid();
      });
  };

  const context = React.useMemo(() => ({ baseId, promptRef }), [baseId]);

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

/* -------------------------------------------------------------------------------------------------
 * PromptFormPrompt
 * -----------------------------------------------------------------------------------------------*/

interface PromptFormPromptProps extends Omit<React.ComponentPropsWithoutRef<'div'>, 'defaultValue'> {
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
}

/**
 * The label "Prompt", a textarea that grows, the character count against the model's limit, the
 * Ctrl/⌘+Enter hint and the prompt's validation messages (linked with `aria-describedby`).
 *
 * @selector [data-invalid] — empty prompt after Generate, or longer than the model allows
 * @selector .gen-PromptForm-count[data-state="ok" | "near" | "over"]
 */
const PromptFormPrompt = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormPromptProps>(function PromptFormPrompt(
  { value, defaultValue, onValueChange, placeholder, name, autoFocus, rows = 3, className, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const { baseId, promptRef } = usePromptFormIds();
  const stored = useGenerator(selectPrompt);
  const maxLength = useGenerator(selectMaxPromptLength);
  const issues = useGenerator(selectIssues);
  const isMac = React.useSyncExternalStore(subscribeNothing, detectMac, () => false);

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

  const length = countCharacters(prompt.trim());
  const countState = maxLength === undefined ? 'ok' : length > maxLength ? 'over' : length >= maxLength * 0.9 ? 'near' : 'ok';
  const promptIssues = issues.filter((issue) => issue.field === 'prompt');
  // The store's own too_long message says the same as ours; show one of them.
  const showOverMessage = countState === 'over' && !promptIssues.some((issue) => issue.code === 'too_long');
  const invalid = promptIssues.length > 0 || countState === 'over';

  const textareaId = `${baseId}-prompt`;
  const labelId = `${baseId}-prompt-label`;
  const countId = `${baseId}-prompt-count`;
  const overId = `${baseId}-prompt-over`;
  const hintId = `${baseId}-prompt-hint`;
  const showCount = maxLength !== undefined || length > 0;
  const describedBy = [
    ...promptIssues.map((_, i) => issueId(baseId, 'prompt', i)),
    showOverMessage ? overId : undefined,
    showCount ? countId : undefined,
    hintId,
  ]
    .filter(Boolean)
    .join(' ');

  const handleKeyDown = (event: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.nativeEvent.isComposing) return;
    event.preventDefault();
    const form = event.currentTarget.form;
    if (form) form.requestSubmit();
    else void store.getState().submit(); // a host placed the prompt outside any form
  };

  return (
    <div data-invalid={invalid ? '' : undefined} {...rest} className={cx('gen-PromptForm-prompt', className)} ref={ref}>
      <label className="gen-PromptForm-label" id={labelId} htmlFor={textareaId}>
        {labels.prompt}
      </label>
      <textarea
        id={textareaId}
        className="gen-PromptForm-textarea"
        name={name}
        rows={rows}
        autoFocus={autoFocus}
        value={prompt}
        placeholder={placeholder ?? labels.promptPlaceholder}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        data-invalid={invalid ? '' : undefined}
        onChange={(event) => setPrompt(event.target.value)}
        onKeyDown={handleKeyDown}
        ref={setTextareaRef}
      />
      <div className="gen-PromptForm-promptFooter">
        <span className="gen-PromptForm-hint" id={hintId}>
          {labels.submitShortcut(isMac)}
        </span>
        {showCount ? (
          <span
            className="gen-PromptForm-count"
            id={countId}
            data-state={countState}
            data-invalid={countState === 'over' ? '' : undefined}
            // Only speak the count when it matters; every keystroke would be noise otherwise.
            aria-live={countState === 'ok' ? undefined : 'polite'}
          >
            {labels.characterCount(length, maxLength)}
          </span>
        ) : null}
      </div>
      {showOverMessage && maxLength !== undefined ? (
        <p className="gen-PromptForm-message" id={overId} data-invalid="">
          {labels.promptTooLong(length, maxLength)}
        </p>
      ) : null}
      {promptIssues.map((issue, i) => (
        <p key={`${issue.code}-${i}`} className="gen-PromptForm-message" id={issueId(baseId, 'prompt', i)} role="alert" data-invalid="">
          {issue.message}
        </p>
      ))}
    </div>
  );
});

/* -------------------------------------------------------------------------------------------------
 * PromptFormResolution
 * -----------------------------------------------------------------------------------------------*/

interface PromptFormResolutionProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Disables the select. @default false */
  disabled?: boolean;
}

/**
 * Combobox "Resolution" (Radix Select) listing the model's resolutions for the chosen ratio.
 * Renders nothing when the model has no resolution setting.
 *
 * @selector [data-invalid] — the last Generate press found a problem with the resolution
 */
const PromptFormResolution = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormResolutionProps>(
  function PromptFormResolution({ disabled, className, ...rest }, ref) {
    const labels = useLabels();
    const store = useGeneratorStore();
    const { baseId } = usePromptFormIds();
    const caps = useGenerator(selectCapabilities);
    const ratio = useGenerator(selectAspectRatio);
    const resolution = useGenerator(selectResolution);
    const issueCount = useGenerator(countIssuesFor('resolution'));

    if (caps.resolutions.length === 0) return null;
    const allowed = resolutionsForRatio(caps, ratio);
    const options: FieldOption[] = caps.resolutions
      .filter((r) => allowed.includes(r) || r === resolution)
      .map((r) => ({ value: r, text: r, disabled: !allowed.includes(r) }));

    return (
      <FieldSelect
        {...rest}
        ref={ref}
        part="resolution"
        className={className}
        label={labels.resolution}
        value={resolution ?? ''}
        options={options}
        disabled={disabled}
        describedBy={issueIds(baseId, 'resolution', issueCount)}
        onValueChange={(next) => store.getState().setResolution(next)}
      />
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * PromptFormCount
 * -----------------------------------------------------------------------------------------------*/

interface PromptFormCountProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Disables the select. @default false */
  disabled?: boolean;
}

/**
 * Number of images (labels.imageCount), only where the model can make more than one per request;
 * lists `n.allowed` or `n.min`…`n.max`.
 *
 * @selector [data-invalid] — the last Generate press found a problem with the count
 */
const PromptFormCount = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormCountProps>(function PromptFormCount(
  { disabled, className, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const { baseId } = usePromptFormIds();
  const caps = useGenerator(selectCapabilities);
  const n = useGenerator(selectN);
  const issueCount = useGenerator(countIssuesFor('n'));

  if (caps.n.max <= 1) return null;
  const values = caps.n.allowed ?? range(caps.n.min, caps.n.max);
  const options: FieldOption[] = values.map((v) => ({ value: String(v), text: String(v) }));

  return (
    <FieldSelect
      {...rest}
      ref={ref}
      part="imageCount"
      className={className}
      label={labels.imageCount}
      value={String(n)}
      options={options}
      disabled={disabled}
      describedBy={issueIds(baseId, 'n', issueCount)}
      onValueChange={(next) => store.getState().setN(Number(next))}
    />
  );
});

/* -------------------------------------------------------------------------------------------------
 * PromptFormParameters
 * -----------------------------------------------------------------------------------------------*/

interface PromptFormParametersProps extends Omit<React.ComponentPropsWithoutRef<'details'>, 'open' | 'onToggle'> {
  /** Start with the list shown. @default false */
  defaultOpen?: boolean;
}

/**
 * "Advanced options": a `<details>` disclosure listing the current model's documented extras
 * (`ModelCapabilities.params`) as native controls — a checkbox per flag, a select per list, a number
 * input per number, each labelled from `labels.parameterLabels`. Changes go through the provider's
 * `parameters`/`onParametersChange` when it controls them, otherwise to the store. Renders nothing
 * for a model without parameters. It opens by itself when Generate finds a problem with one.
 *
 * @selector [data-invalid] — the last Generate press found a problem with a parameter
 * @selector .gen-PromptForm-parameter[data-type="boolean" | "enum" | "integer" | "number"]
 */
const PromptFormParameters = /* @__PURE__ */ React.forwardRef<HTMLDetailsElement, PromptFormParametersProps>(
  function PromptFormParameters({ defaultOpen = false, className, ...rest }, ref) {
    const { labels, store, setParameters: setThroughProvider } = useGeneratorContext('PromptForm.Parameters');
    const { baseId } = usePromptFormIds();
    const caps = useGenerator(selectCapabilities);
    const values = useGenerator(selectParameters);
    const issues = useGenerator(selectIssues);
    const issueCount = useGenerator(countIssuesFor('parameters'));
    const [open, setOpen] = React.useState(defaultOpen);

    // A problem found by Generate shows its control.
    React.useEffect(() => {
      if (issueCount > 0) setOpen(true);
    }, [issueCount]);

    const specs = caps.params ?? [];
    if (specs.length === 0) return null;

    const write = (next: ModelParameters) => {
      if (setThroughProvider) setThroughProvider(next);
      else store.getState().setParameters(next);
    };
    const change = (spec: ParameterSpec, value: ParameterValue | undefined) => {
      const next: ModelParameters = { ...values };
      if (value === undefined) delete next[spec.name];
      else next[spec.name] = value;
      // Options that depend on this one and no longer can be used are unset with it.
      for (const other of specs) {
        if (other.requires?.name === spec.name && !requirementMet(specs, next, other)) delete next[other.name];
      }
      write(next);
    };

    const parameterIssues = issues.filter((issue) => issue.field === 'parameters');
    const hasValues = Object.keys(values).length > 0;

    return (
      <details
        data-invalid={issueCount > 0 ? '' : undefined}
        {...rest}
        open={open}
        onToggle={(event) => setOpen(event.currentTarget.open)}
        className={cx('gen-PromptForm-parameters', className)}
        ref={ref}
      >
        <summary className="gen-PromptForm-parametersSummary">{labels.advancedOptions}</summary>
        <div className="gen-PromptForm-parametersList">
          {specs.map((spec) => {
            const describedBy = parameterIssues
              .map((issue, i) => (issue.parameter === spec.name ? issueId(baseId, 'parameters', i) : undefined))
              .filter((id): id is string => id !== undefined);
            return (
              <ParameterControl
                key={spec.name}
                spec={spec}
                specs={specs}
                values={values}
                labels={labels}
                id={`${baseId}-param-${spec.name}`}
                issueIds={describedBy}
                onChange={(value) => change(spec, value)}
              />
            );
          })}
        </div>
        {hasValues ? (
          <button type="button" className="gen-button gen-PromptForm-parametersReset" onClick={() => write({})}>
            {labels.resetParameters}
          </button>
        ) : null}
      </details>
    );
  },
);

interface ParameterControlProps {
  spec: ParameterSpec;
  specs: readonly ParameterSpec[];
  values: Readonly<ModelParameters>;
  labels: Labels;
  id: string;
  /** Ids of the Generate messages about this parameter. */
  issueIds: readonly string[];
  onChange: (value: ParameterValue | undefined) => void;
}

/** One parameter as a labelled native control, with its range or dependency as a hint. */
function ParameterControl({ spec, specs, values, labels, id, issueIds, onChange }: ParameterControlProps) {
  const label = labels.parameterLabels[spec.label] ?? spec.name;
  const value = Object.hasOwn(values, spec.name) ? values[spec.name] : undefined;
  const available = requirementMet(specs, values, spec);
  const requires = spec.requires;
  const hint = !available && requires
    ? labels.parameterRequires(
        labels.parameterLabels[findSpec(specs, requires.name)?.label ?? requires.name] ?? requires.name,
        requires.value === true ? undefined : valueName(labels, requires.value),
      )
    : spec.type === 'integer' || spec.type === 'number'
      ? labels.parameterRange(spec.min, spec.max)
      : undefined;
  const hintId = `${id}-hint`;
  const describedBy = [...issueIds, hint !== undefined ? hintId : undefined].filter(Boolean).join(' ') || undefined;
  const invalid = issueIds.length > 0;
  const common = {
    id,
    disabled: !available,
    'aria-describedby': describedBy,
    'aria-invalid': invalid || undefined,
  };

  let control: React.ReactNode;
  switch (spec.type) {
    case 'boolean':
      control = (
        <input
          {...common}
          type="checkbox"
          className="gen-PromptForm-checkbox"
          checked={typeof value === 'boolean' ? value : (spec.default ?? false)}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
      break;
    case 'enum':
      control = (
        <select
          {...common}
          className="gen-PromptForm-nativeSelect"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value)}
        >
          <option value="">{labels.parameterDefault(spec.default === undefined ? undefined : valueName(labels, spec.default))}</option>
          {/* A value set by the host that the list does not have still shows, so the user sees what would be sent. */}
          {typeof value === 'string' && !spec.values.includes(value) ? <option value={value}>{value}</option> : null}
          {spec.values.map((v) => (
            <option key={v} value={v}>
              {valueName(labels, v)}
            </option>
          ))}
        </select>
      );
      break;
    default:
      control = <NumberInput {...common} spec={spec} value={value} onValueChange={onChange} />;
  }

  return (
    <div
      className="gen-PromptForm-parameter"
      data-type={spec.type}
      data-disabled={available ? undefined : ''}
      data-invalid={invalid ? '' : undefined}
    >
      {spec.type === 'boolean' ? (
        <>
          {control}
          <label className="gen-PromptForm-parameterLabel" htmlFor={id}>
            {label}
          </label>
        </>
      ) : (
        <>
          <label className="gen-PromptForm-label" htmlFor={id}>
            {label}
          </label>
          {control}
        </>
      )}
      {hint !== undefined ? (
        <span className="gen-PromptForm-parameterHint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

interface NumberInputProps {
  id: string;
  disabled: boolean;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
  spec: Extract<ParameterSpec, { type: 'integer' | 'number' }>;
  value: ParameterValue | undefined;
  onValueChange: (value: number | undefined) => void;
}

/**
 * A number input that keeps what is typed (`0.`, `-`) while it is not a number yet; an empty field
 * unsets the parameter. Values out of range are kept, and Generate says why they cannot be sent.
 */
function NumberInput({ spec, value, onValueChange, ...rest }: NumberInputProps) {
  const [draft, setDraft] = React.useState(() => numberText(value));
  const [seen, setSeen] = React.useState(value);
  // A new value from elsewhere (reset, a controlled prop) replaces the draft, unless the draft
  // already means it ("0.50" for 0.5, "0." while typing 0.5).
  if (!Object.is(seen, value)) {
    setSeen(value);
    if (!Object.is(draftValue(draft), value)) setDraft(numberText(value));
  }
  return (
    <input
      {...rest}
      type="number"
      className="gen-PromptForm-number"
      inputMode={spec.type === 'integer' ? 'numeric' : 'decimal'}
      min={spec.min}
      max={spec.max}
      step={spec.step ?? (spec.type === 'integer' ? 1 : 'any')}
      placeholder={spec.default !== undefined ? String(spec.default) : undefined}
      value={draft}
      onChange={(event) => {
        const text = event.currentTarget.value;
        setDraft(text);
        if (text.trim() === '') onValueChange(undefined);
        else if (Number.isFinite(Number(text))) onValueChange(Number(text));
      }}
    />
  );
}

const numberText = (value: ParameterValue | undefined) => (typeof value === 'number' ? String(value) : '');
const draftValue = (text: string) => (text.trim() === '' ? undefined : Number(text));

function findSpec(specs: readonly ParameterSpec[], name: string): ParameterSpec | undefined {
  return specs.find((s) => s.name === name);
}

/** Whether the option `spec` depends on has the value it needs (its default counts when unset). */
function requirementMet(specs: readonly ParameterSpec[], values: Readonly<ModelParameters>, spec: ParameterSpec): boolean {
  const requires = spec.requires;
  if (!requires) return true;
  const current = Object.hasOwn(values, requires.name) ? values[requires.name] : findSpec(specs, requires.name)?.default;
  return current === requires.value;
}

function valueName(labels: Labels, value: ParameterValue): string {
  return typeof value === 'string' ? (labels.parameterValues[value] ?? value) : String(value);
}

/* -------------------------------------------------------------------------------------------------
 * PromptFormPrice
 * -----------------------------------------------------------------------------------------------*/

type PromptFormPriceProps = React.ComponentPropsWithoutRef<'p'>;

/** Estimated price for the chosen resolution and count; renders nothing when unknown. */
const PromptFormPrice = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, PromptFormPriceProps>(function PromptFormPrice(
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

interface PromptFormSubmitProps extends React.ComponentPropsWithoutRef<'button'> {
  /** Render the child element as the button (Radix `Slot`); it keeps the submit behaviour. @default false */
  asChild?: boolean;
}

/**
 * The Generate button (`type="submit"`). Its name stays "Generate"; while the form waits or
 * sends it shows a spinner and is `aria-disabled` (not `disabled`, so focus stays on it).
 *
 * @selector [data-state="idle" | "waiting" | "submitting"]
 */
const PromptFormSubmit = /* @__PURE__ */ React.forwardRef<HTMLButtonElement, PromptFormSubmitProps>(function PromptFormSubmit(
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

type PromptFormStatusProps = React.ComponentPropsWithoutRef<'p'>;

/**
 * A polite live region: "Waiting for N reference images to finish uploading…" while Generate waits,
 * then "Sending…". Always rendered (empty when idle) so the announcement is not lost.
 *
 * @selector [data-state="idle" | "waiting" | "submitting"]
 */
const PromptFormStatus = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, PromptFormStatusProps>(function PromptFormStatus(
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

type PromptFormErrorsProps = React.ComponentPropsWithoutRef<'div'>;

/**
 * Problems the last Generate press found with the aspect ratio, resolution, count, model or
 * references, in `role="alert"`. Renders nothing when there are none.
 */
const PromptFormErrors = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormErrorsProps>(function PromptFormErrors(
  { className, ...rest },
  ref,
) {
  const { baseId } = usePromptFormIds();
  const issues = useGenerator(selectIssues);
  const shown = FORM_LEVEL_FIELDS.flatMap((field) =>
    issues.filter((issue) => issue.field === field).map((issue, i) => ({ issue, id: issueId(baseId, field, i) })),
  );
  if (shown.length === 0) return null;
  return (
    <div role="alert" {...rest} className={cx('gen-PromptForm-errors', className)} ref={ref}>
      {shown.map(({ issue, id }) => (
        <p key={id} id={id} className="gen-PromptForm-error" data-field={issue.field}>
          {issue.message}
        </p>
      ))}
    </div>
  );
});

/* -------------------------------------------------------------------------------------------------
 * PromptForm (ready-made composition)
 * -----------------------------------------------------------------------------------------------*/

interface PromptFormProps extends Omit<PromptFormRootProps, 'defaultValue'> {
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
 * The whole form: prompt, resolution, number of images, advanced options (with `parametersUi`),
 * price, Generate, status and errors.
 * Hosts that re-arrange use the parts (`PromptForm.Root`, `PromptForm.Prompt`, …).
 */
const PromptFormComposition = /* @__PURE__ */ React.forwardRef<HTMLFormElement, PromptFormProps>(function PromptFormComposition(
  { value, defaultValue, onValueChange, placeholder, children, parametersUi = false, ...rest },
  ref,
) {
  return (
    <PromptFormRoot {...rest} ref={ref}>
      <PromptFormPrompt value={value} defaultValue={defaultValue} onValueChange={onValueChange} placeholder={placeholder} />
      <div className="gen-PromptForm-controls">
        {children}
        <PromptFormResolution />
        <PromptFormCount />
        {parametersUi ? <PromptFormParameters /> : null}
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
const PromptForm = /* @__PURE__ */ Object.assign(PromptFormImpl, {
  Root: PromptFormRoot,
  Prompt: PromptFormPrompt,
  Resolution: PromptFormResolution,
  Count: PromptFormCount,
  Parameters: PromptFormParameters,
  Price: PromptFormPrice,
  Submit: PromptFormSubmit,
  Status: PromptFormStatus,
  Errors: PromptFormErrors,
});

/* -------------------------------------------------------------------------------------------------
 * Private: a labelled Radix Select for the settings row
 * -----------------------------------------------------------------------------------------------*/

interface FieldOption {
  value: string;
  text: string;
  disabled?: boolean;
}

interface FieldSelectProps extends React.ComponentPropsWithoutRef<'div'> {
  part: 'resolution' | 'imageCount';
  label: string;
  value: string;
  options: readonly FieldOption[];
  disabled: boolean | undefined;
  describedBy: string | undefined;
  onValueChange: (value: string) => void;
}

const FieldSelect = React.forwardRef<HTMLDivElement, FieldSelectProps>(function FieldSelect(
  { part, label, value, options, disabled, describedBy, onValueChange, className, ...rest },
  ref,
) {
  const labelId = React.useId();
  const triggerRef = React.useRef<HTMLButtonElement | null>(null);
  const [themeStyle, setThemeStyle] = React.useState<React.CSSProperties>({});
  const invalid = describedBy !== undefined;
  return (
    <div
      data-invalid={invalid ? '' : undefined}
      data-disabled={disabled ? '' : undefined}
      {...rest}
      className={cx('gen-PromptForm-field', `gen-PromptForm-${part}`, className)}
      ref={ref}
    >
      <span className="gen-PromptForm-label" id={labelId}>
        {label}
      </span>
      <Select.Root
        value={value}
        onValueChange={onValueChange}
        disabled={disabled}
        onOpenChange={(open) => {
          if (open) setThemeStyle(readTheme(triggerRef.current));
        }}
      >
        <Select.Trigger
          className="gen-PromptForm-select"
          aria-labelledby={labelId}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          ref={triggerRef}
        >
          {/* The chosen option's text, rendered here so server HTML and first render show it. */}
          <Select.Value>{options.find((o) => o.value === value)?.text ?? value}</Select.Value>
          <Select.Icon className="gen-PromptForm-selectIcon">
            <Chevron />
          </Select.Icon>
        </Select.Trigger>
        <Select.Portal>
          <Select.Content className="gen-PromptForm-selectContent" position="popper" sideOffset={6} style={themeStyle}>
            <Select.Viewport className="gen-PromptForm-selectViewport">
              {options.map((option) => (
                <Select.Item key={option.value} value={option.value} disabled={option.disabled} className="gen-PromptForm-selectItem">
                  <Select.ItemText>{option.text}</Select.ItemText>
                  <Select.ItemIndicator className="gen-PromptForm-selectCheck">
                    <Check />
                  </Select.ItemIndicator>
                </Select.Item>
              ))}
            </Select.Viewport>
          </Select.Content>
        </Select.Portal>
      </Select.Root>
    </div>
  );
});

function Chevron() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M3 4.5 6 7.5 9 4.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function Check() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2.5 6.5 5 9l4.5-6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

const selectHasIssues = (s: GeneratorState) => s.issues.length > 0;
const selectMaxPromptLength = (s: GeneratorState) => selectCapabilities(s).maxPromptLength;
const selectEstimatedPrice = (s: GeneratorState) => estimatePrice(selectCapabilities(s), s.resolution, s.n);

const issueCounters = new Map<GenerationField, (s: GeneratorState) => number>();
/** A stable selector counting the issues about one field. */
function countIssuesFor(field: GenerationField) {
  let selector = issueCounters.get(field);
  if (!selector) {
    selector = (s) => s.issues.reduce((n, issue) => (issue.field === field ? n + 1 : n), 0);
    issueCounters.set(field, selector);
  }
  return selector;
}

function issueIds(baseId: string, field: GenerationField, count: number): string | undefined {
  if (count === 0) return undefined;
  return Array.from({ length: count }, (_, i) => issueId(baseId, field, i)).join(' ');
}

function range(min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = Math.max(1, min); v <= max; v++) out.push(v);
  return out;
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
  //
  PromptFormRoot as Root,
  PromptFormPrompt as Prompt,
  PromptFormResolution as Resolution,
  PromptFormCount as Count,
  PromptFormParameters as Parameters,
  PromptFormPrice as Price,
  PromptFormSubmit as Submit,
  PromptFormStatus as Status,
  PromptFormErrors as Errors,
};
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
};
