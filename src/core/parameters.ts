/**
 * Model parameters: the documented extras a model takes beyond prompt, ratio, resolution, count and
 * references (`metadata.google_search`, top-level `quality`, …), described as data so the form, the
 * store and the proxy check and place them the same way. The registry (models.ts) lists each
 * model's `params`; the functions here work on such a list.
 */
import type { MessageParams } from './messages';
import type { SubmitRequest } from './protocol';

/** One parameter value: a flag, a number or one of an enum's strings. */
export type ParameterValue = boolean | number | string;

/** Parameter values by name (`{ google_search: true, quality: 'high' }`). Unset means "the model's default". */
export type ModelParameters = Record<string, ParameterValue>;

interface ParameterSpecBase {
  /** The key in `parameters`, and on the wire (inside `metadata` or at the top level). */
  name: string;
  /** `metadata` puts the value in `metadata.<name>`; `top` puts it at the top level of the body. */
  in: 'metadata' | 'top';
  /** Key of the parameter's name in `labels.parameterLabels`. */
  label: string;
  /**
   * Only valid while another parameter has this value (its default counts when it is unset).
   * A flag is only checked when it is `true`; other types whenever they are set.
   */
  requires?: { name: string; value: ParameterValue };
}

export interface BooleanParameterSpec extends ParameterSpecBase {
  type: 'boolean';
  default?: boolean;
}

export interface EnumParameterSpec extends ParameterSpecBase {
  type: 'enum';
  values: readonly string[];
  default?: string;
}

export interface NumberParameterSpec extends ParameterSpecBase {
  /** `integer` accepts whole numbers only. */
  type: 'integer' | 'number';
  min: number;
  max: number;
  /** Step for a number input (`1` for integers when omitted). */
  step?: number;
  default?: number;
}

/** What one documented extra of one model accepts. */
export type ParameterSpec = BooleanParameterSpec | EnumParameterSpec | NumberParameterSpec;

/** One problem with a parameter, in the same shape as the other field issues (`field: 'parameters'`). */
export interface ParameterIssue {
  field: 'parameters';
  code: 'unsupported' | 'invalid_type' | 'out_of_range' | 'requires';
  /** English text; a label pack words it from `parameters.<code>` and `params`. */
  message: string;
  /** The values the message names (`parameter`, `model`, `min`/`max`, `values`…). */
  params?: MessageParams;
  /** The parameter the issue is about. */
  parameter: string;
  limit?: number;
}

const valueText = (value: ParameterValue) => (typeof value === 'string' ? value : String(value));

function orList(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
}

/** The spec of `name` in a list, or `undefined`. */
export function findParameter(specs: readonly ParameterSpec[], name: string): ParameterSpec | undefined {
  return specs.find((spec) => spec.name === name);
}

/** Whether `value` has the spec's type and lies in its range or list. */
export function isValidParameterValue(spec: ParameterSpec, value: unknown): value is ParameterValue {
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value);
    default:
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.type === 'number' || Number.isInteger(value)) &&
        value >= spec.min &&
        value <= spec.max
      );
  }
}

/**
 * Every problem with `parameters` against a model's list: a name the model does not take, a value of
 * the wrong type, out of range or not in the list, and a broken dependency. Empty when all is well.
 */
export function checkParameters(
  specs: readonly ParameterSpec[],
  modelName: string,
  parameters: Readonly<Record<string, unknown>> | undefined,
): ParameterIssue[] {
  const issues: ParameterIssue[] = [];
  if (!parameters) return issues;
  for (const name of Object.keys(parameters)) {
    const value = parameters[name];
    if (value === undefined) continue;
    const spec = findParameter(specs, name);
    if (!spec) {
      issues.push({
        field: 'parameters',
        code: 'unsupported',
        parameter: name,
        message: `${modelName} does not take the parameter "${name}".`,
        params: { parameter: name, model: modelName },
      });
      continue;
    }
    const issue = valueIssue(spec, value);
    if (issue) {
      issues.push(issue);
      continue;
    }
    const requires = spec.requires;
    if (!requires || (spec.type === 'boolean' && value !== true)) continue;
    const other = findParameter(specs, requires.name);
    const current = parameters[requires.name] ?? other?.default;
    if (current !== requires.value) {
      issues.push({
        field: 'parameters',
        code: 'requires',
        parameter: name,
        message: `"${name}" needs "${requires.name}" set to ${valueText(requires.value)}.`,
        params: { parameter: name, requires: requires.name, value: valueText(requires.value) },
      });
    }
  }
  return issues;
}

function valueIssue(spec: ParameterSpec, value: unknown): ParameterIssue | undefined {
  const { name } = spec;
  // `type` says what the value must be: true/false, one of `values`, a whole number or a number.
  const expected: MessageParams = { parameter: name, type: spec.type, ...(spec.type === 'enum' && { values: spec.values.join(', ') }) };
  const issue = (code: ParameterIssue['code'], message: string, extra: MessageParams = {}, limit?: number): ParameterIssue => ({
    field: 'parameters',
    code,
    parameter: name,
    message,
    params: { ...expected, ...extra },
    ...(limit !== undefined && { limit }),
  });
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : issue('invalid_type', `"${name}" must be true or false.`);
    case 'enum':
      if (typeof value !== 'string') return issue('invalid_type', `"${name}" must be ${orList(spec.values)}.`);
      return spec.values.includes(value)
        ? undefined
        : issue('unsupported', `"${name}" must be ${orList(spec.values)}; "${value}" is not one of them.`, { value });
    default: {
      const whole = spec.type === 'integer';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
        return issue('invalid_type', `"${name}" must be ${whole ? 'a whole number' : 'a number'}.`);
      }
      const range = { min: spec.min, max: spec.max, value };
      if (value < spec.min) return issue('out_of_range', `"${name}" must be between ${spec.min} and ${spec.max}; it is ${value}.`, range, spec.min);
      if (value > spec.max) return issue('out_of_range', `"${name}" must be between ${spec.min} and ${spec.max}; it is ${value}.`, range, spec.max);
      return undefined;
    }
  }
}

/**
 * A copy of `body` with each parameter of the list in its place: `metadata.<name>` or the top level.
 * Names the list does not have, and unset values, are left out (check with `checkParameters` first).
 * `metadata` keeps what it held (the resolution).
 */
export function placeParameters(
  body: SubmitRequest,
  specs: readonly ParameterSpec[],
  parameters: Readonly<Record<string, unknown>> | undefined,
): SubmitRequest {
  const out: SubmitRequest = { ...body };
  if (!parameters) return out;
  let metadata: Record<string, unknown> | undefined;
  for (const spec of specs) {
    if (!Object.hasOwn(parameters, spec.name)) continue;
    const value = parameters[spec.name];
    if (value === undefined) continue;
    if (spec.in === 'top') out[spec.name] = value;
    else (metadata ??= { ...body.metadata })[spec.name] = value;
  }
  if (metadata) out.metadata = metadata;
  return out;
}

/** The entries of `parameters` whose names the list has (what a model switch keeps). */
export function pickParameters(specs: readonly ParameterSpec[], parameters: Readonly<ModelParameters>): ModelParameters {
  const out: ModelParameters = {};
  for (const spec of specs) {
    if (Object.hasOwn(parameters, spec.name) && parameters[spec.name] !== undefined) out[spec.name] = parameters[spec.name]!;
  }
  return out;
}

/** Whether two parameter sets hold the same values (order does not matter). */
export function sameParameters(a: Readonly<ModelParameters>, b: Readonly<ModelParameters>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]));
}
