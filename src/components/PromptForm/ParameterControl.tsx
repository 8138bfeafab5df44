'use client';
import * as React from 'react';
import type { ModelParameters, ParameterSpec, ParameterValue } from '../../core/parameters';
import type { Labels } from '../../labels/en';

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
export function ParameterControl({ spec, specs, values, labels, id, issueIds, onChange }: ParameterControlProps) {
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

  const control = <ParameterInput common={common} spec={spec} value={value} labels={labels} onChange={onChange} />;

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

interface ParameterInputProps {
  common: { id: string; disabled: boolean; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined };
  spec: ParameterSpec;
  value: ParameterValue | undefined;
  labels: Labels;
  onChange: (value: ParameterValue | undefined) => void;
}

/** The native control for one parameter: a checkbox per flag, a select per list, a number input per number. */
function ParameterInput({ common, spec, value, labels, onChange }: ParameterInputProps) {
  switch (spec.type) {
    case 'boolean':
      return (
        <input
          {...common}
          type="checkbox"
          className="gen-PromptForm-checkbox"
          checked={typeof value === 'boolean' ? value : (spec.default ?? false)}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
      );
    case 'enum':
      return (
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
    default:
      return <NumberInput {...common} spec={spec} value={value} onValueChange={onChange} />;
  }
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
export function requirementMet(specs: readonly ParameterSpec[], values: Readonly<ModelParameters>, spec: ParameterSpec): boolean {
  const requires = spec.requires;
  if (!requires) return true;
  const current = Object.hasOwn(values, requires.name) ? values[requires.name] : findSpec(specs, requires.name)?.default;
  return current === requires.value;
}

function valueName(labels: Labels, value: ParameterValue): string {
  return typeof value === 'string' ? (labels.parameterValues[value] ?? value) : String(value);
}
