'use client';
import * as React from 'react';
import { pixelSizeFor } from '../../core/models';
import {
  selectAspectRatio,
  selectCapabilities,
  selectReferenceCount,
  selectIssueCount,
  selectResolution,
} from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { useStoreControllable } from '../../hooks/useStoreControllable';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { SelectField, type SelectFieldClassNames, type SelectFieldOption } from '../internal/SelectField';

/* -------------------------------------------------------------------------------------------------
 * AspectRatioPickerShape
 * -----------------------------------------------------------------------------------------------*/

interface AspectRatioPickerShapeProps extends React.ComponentPropsWithoutRef<'span'> {
  /** A `size` value: `'16:9'`, or a named one (`'auto'`, `'match_input_image'`) drawn as a dashed square. */
  ratio: string;
}

/**
 * A small drawn preview of a ratio: a fixed frame holding a box whose CSS `aspect-ratio` comes from
 * `--gen-ratio`. Decorative (`aria-hidden`); hosts can reuse it next to their own text.
 *
 * @selector [data-orientation="landscape" | "portrait" | "square" | "free"]
 */
const AspectRatioPickerShape = /* @__PURE__ */ React.forwardRef<HTMLSpanElement, AspectRatioPickerShapeProps>(
  function AspectRatioPickerShape({ ratio, className, style, ...rest }, ref) {
    const parsed = parseRatio(ratio);
    const orientation = !parsed ? 'free' : parsed[0] > parsed[1] ? 'landscape' : parsed[0] < parsed[1] ? 'portrait' : 'square';
    return (
      <span
        aria-hidden="true"
        data-orientation={orientation}
        {...rest}
        className={cx('gen-AspectRatioPicker-shape', className)}
        style={{ '--gen-ratio': parsed ? `${parsed[0]} / ${parsed[1]}` : '1 / 1', ...style }}
        ref={ref}
      >
        <span className="gen-AspectRatioPicker-shapeBox" />
      </span>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * AspectRatioPicker
 * -----------------------------------------------------------------------------------------------*/

interface AspectRatioPickerProps extends Omit<React.ComponentPropsWithoutRef<'div'>, 'defaultValue' | 'dir'> {
  /** Controlled ratio (`'16:9'`). It is mirrored into the store so Generate sends what the picker shows. */
  value?: string;
  /** Initial ratio when uncontrolled (written to the store on mount). */
  defaultValue?: string;
  /** Called with the chosen ratio, controlled or not. */
  onValueChange?: (value: string) => void;
  /** @default false */
  disabled?: boolean;
  /** Name of the hidden native select Radix renders inside a `<form>`. */
  name?: string;
  /**
   * Offer ratios that only work with a reference image (`auto` on Seedream 4.0, `match_input_image`)
   * even when there is none. @default false
   */
  showReferenceOnlyRatios?: boolean;
}

/**
 * Combobox "Aspect ratio" (Radix Select) over the current model's ratios. Each option shows a drawn
 * shape and its text (`16:9 · 2048×1152` where the output size is known); the trigger shows the
 * selected one. Trigger and content carry Radix's `data-state="open" | "closed"`.
 *
 * @selector [data-disabled] — the picker is disabled
 * @selector [data-invalid] — the last Generate press found a problem with the ratio
 */
const AspectRatioPickerComposition = /* @__PURE__ */ React.forwardRef<HTMLDivElement, AspectRatioPickerProps>(function AspectRatioPickerComposition(
  { value, defaultValue, onValueChange, disabled = false, name, showReferenceOnlyRatios = false, className, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const caps = useGenerator(selectCapabilities);
  const stored = useGenerator(selectAspectRatio);
  const resolution = useGenerator(selectResolution);
  const hasReferences = useGenerator(selectReferenceCount) > 0;
  const invalid = useGenerator(selectIssueCount('aspectRatio')) > 0;

  const [ratio, setRatio] = useStoreControllable({
    prop: value,
    defaultProp: defaultValue,
    onChange: onValueChange,
    stored,
    write: (next: string) => store.getState().setAspectRatio(next),
    caller: 'AspectRatioPicker',
  });

  const referenceOnly = caps.referenceOnlyRatios ?? [];
  const ratios = caps.aspectRatios.filter(
    (r) => showReferenceOnlyRatios || hasReferences || !referenceOnly.includes(r) || r === ratio,
  );
  // A ratio the model does not offer (set by a host or a controlled prop) is still shown on the
  // trigger, as a disabled option, so the user sees what Generate would send and why it fails.
  const unsupported = ratio !== '' && !caps.aspectRatios.includes(ratio) ? ratio : undefined;
  const optionText = (r: string) => labels.aspectRatioOption(labels.aspectRatioName(r), pixelSizeFor(caps, r, resolution));
  const options: SelectFieldOption[] = (unsupported ? [...ratios, unsupported] : ratios).map((r) => ({
    value: r,
    // The option's name holds every visible word (WCAG 2.5.3, label in name), so the description
    // sits inside it; the trigger hides it with CSS.
    text: <RatioText ratio={r} text={optionText(r)} description={labels.aspectRatioDescriptions[r]} />,
    disabled: r === unsupported,
    data: { 'data-ratio': r },
  }));

  return (
    <SelectField
      {...rest}
      ref={ref}
      className={className}
      classNames={PICKER_CLASSES}
      label={labels.aspectRatio}
      value={ratio}
      valueText={ratio !== '' ? <RatioText ratio={ratio} text={optionText(ratio)} /> : null}
      options={options}
      onValueChange={setRatio}
      disabled={disabled}
      invalid={invalid}
      name={name}
    />
  );
});

const PICKER_CLASSES: SelectFieldClassNames = {
  root: 'gen-AspectRatioPicker',
  label: 'gen-AspectRatioPicker-label',
  trigger: 'gen-AspectRatioPicker-trigger',
  icon: 'gen-AspectRatioPicker-icon',
  content: 'gen-AspectRatioPicker-content',
  viewport: 'gen-AspectRatioPicker-viewport',
  item: 'gen-AspectRatioPicker-item',
  scroll: 'gen-AspectRatioPicker-scroll',
};

/** A ratio as its shape, its text (`16:9 · 2048×1152`) and, in the list, its description. */
function RatioText({ ratio, text, description }: { ratio: string; text: string; description?: string | undefined }) {
  return (
    <span className="gen-AspectRatioPicker-itemText">
      <AspectRatioPickerShape ratio={ratio} />
      <span className="gen-AspectRatioPicker-ratio">{text}</span>
      {description ? (
        <>
          {' '}
          <span className="gen-AspectRatioPicker-description">{description}</span>
        </>
      ) : null}
    </span>
  );
}

// A crash here shows a recoverable message and leaves the other components working (issue 6).
const AspectRatioPickerImpl = /* @__PURE__ */ React.forwardRef<HTMLDivElement, AspectRatioPickerProps>(function AspectRatioPicker(props, ref) {
  return (
    <GeneratorErrorBoundary name="AspectRatioPicker">
      <AspectRatioPickerComposition {...props} ref={ref} />
    </GeneratorErrorBoundary>
  );
});

/** `AspectRatioPicker` with its shape preview as a static member (`AspectRatioPicker.Shape`). */
const AspectRatioPicker = /* @__PURE__ */ Object.assign(AspectRatioPickerImpl, { Shape: AspectRatioPickerShape });

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

function parseRatio(ratio: string): readonly [number, number] | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*$/i.exec(ratio);
  if (!match) return undefined;
  const w = Number(match[1]);
  const h = Number(match[2]);
  return w > 0 && h > 0 ? [w, h] : undefined;
}


export { AspectRatioPicker, AspectRatioPickerShape };
export type { AspectRatioPickerProps, AspectRatioPickerShapeProps };
