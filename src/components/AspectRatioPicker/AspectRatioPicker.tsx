'use client';
import * as React from 'react';
import * as Select from '@radix-ui/react-select';
import { pixelSizeFor } from '../../core/models';
import {
  selectAspectRatio,
  selectCapabilities,
  selectReferenceCount,
  selectResolution,
} from '../../store/selectors';
import type { GeneratorState } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { readTheme } from '../../hooks/readTheme';
import { useStoreControllable } from '../../hooks/useStoreControllable';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';

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
  const invalid = useGenerator(selectRatioIssue);

  const [ratio, setRatio] = useStoreControllable({
    prop: value,
    defaultProp: defaultValue,
    onChange: onValueChange,
    stored,
    write: (next: string) => store.getState().setAspectRatio(next),
    caller: 'AspectRatioPicker',
  });

  const labelId = React.useId();
  const triggerRef = React.useRef<HTMLButtonElement | null>(null);
  const [themeStyle, setThemeStyle] = React.useState<React.CSSProperties>({});

  const referenceOnly = caps.referenceOnlyRatios ?? [];
  const ratios = caps.aspectRatios.filter(
    (r) => showReferenceOnlyRatios || hasReferences || !referenceOnly.includes(r) || r === ratio,
  );
  // A ratio the model does not offer (set by a host or a controlled prop) is still shown on the
  // trigger, as a disabled option, so the user sees what Generate would send and why it fails.
  const unsupported = ratio !== '' && !caps.aspectRatios.includes(ratio) ? ratio : undefined;

  return (
    <div
      data-disabled={disabled ? '' : undefined}
      data-invalid={invalid ? '' : undefined}
      {...rest}
      className={cx('gen-AspectRatioPicker', className)}
      ref={ref}
    >
      <span className="gen-AspectRatioPicker-label" id={labelId}>
        {labels.aspectRatio}
      </span>
      <Select.Root
        value={ratio}
        onValueChange={setRatio}
        disabled={disabled}
        name={name}
        onOpenChange={(open) => {
          if (open) setThemeStyle(readTheme(triggerRef.current));
        }}
      >
        <Select.Trigger
          className="gen-AspectRatioPicker-trigger"
          aria-labelledby={labelId}
          aria-invalid={invalid || undefined}
          ref={triggerRef}
        >
          {/* Rendered here rather than portalled from the chosen option after mount, so the server's
              HTML and the first client render already show the ratio. */}
          <Select.Value>
            {ratio !== '' ? (
              <span className="gen-AspectRatioPicker-itemText">
                <AspectRatioPickerShape ratio={ratio} />
                <span className="gen-AspectRatioPicker-ratio">
                  {labels.aspectRatioOption(labels.aspectRatioName(ratio), pixelSizeFor(caps, ratio, resolution))}
                </span>
              </span>
            ) : null}
          </Select.Value>
          <Select.Icon className="gen-AspectRatioPicker-icon">
            <Chevron direction="down" />
          </Select.Icon>
        </Select.Trigger>
        <Select.Portal>
          <Select.Content className="gen-AspectRatioPicker-content" position="popper" sideOffset={6} style={themeStyle}>
            <Select.ScrollUpButton className="gen-AspectRatioPicker-scroll">
              <Chevron direction="up" />
            </Select.ScrollUpButton>
            <Select.Viewport className="gen-AspectRatioPicker-viewport">
              {(unsupported ? [...ratios, unsupported] : ratios).map((r) => {
                const description = labels.aspectRatioDescriptions[r];
                const optionText = labels.aspectRatioOption(labels.aspectRatioName(r), pixelSizeFor(caps, r, resolution));
                return (
                  <Select.Item
                    key={r}
                    value={r}
                    className="gen-AspectRatioPicker-item"
                    data-ratio={r}
                    disabled={r === unsupported}
                  >
                    {/* ItemText is the option's name (Radix points aria-labelledby at it) and what the
                        trigger shows. The description sits inside it so the name holds every visible
                        word (WCAG 2.5.3, label in name); the trigger hides it with CSS. */}
                    <Select.ItemText>
                      <span className="gen-AspectRatioPicker-itemText">
                        <AspectRatioPickerShape ratio={r} />
                        <span className="gen-AspectRatioPicker-ratio">{optionText}</span>
                        {description ? (
                          <>
                            {' '}
                            <span className="gen-AspectRatioPicker-description">{description}</span>
                          </>
                        ) : null}
                      </span>
                    </Select.ItemText>
                  </Select.Item>
                );
              })}
            </Select.Viewport>
            <Select.ScrollDownButton className="gen-AspectRatioPicker-scroll">
              <Chevron direction="down" />
            </Select.ScrollDownButton>
          </Select.Content>
        </Select.Portal>
      </Select.Root>
    </div>
  );
});

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

function Chevron({ direction }: { direction: 'up' | 'down' }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path
        d={direction === 'down' ? 'M3 4.5 6 7.5 9 4.5' : 'M3 7.5 6 4.5 9 7.5'}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** Whether the last Generate press found a problem with the ratio (PromptForm's error area says which). */
const selectRatioIssue = (s: GeneratorState) => s.issues.some((issue) => issue.field === 'aspectRatio');

function parseRatio(ratio: string): readonly [number, number] | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*$/i.exec(ratio);
  if (!match) return undefined;
  const w = Number(match[1]);
  const h = Number(match[2]);
  return w > 0 && h > 0 ? [w, h] : undefined;
}


export { AspectRatioPicker, AspectRatioPickerShape, AspectRatioPickerShape as Shape };
export type { AspectRatioPickerProps, AspectRatioPickerShapeProps };
