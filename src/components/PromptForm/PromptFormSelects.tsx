'use client';
import * as React from 'react';
import { resolutionsForRatio } from '../../core/models';
import { selectAspectRatio, selectCapabilities, selectIssueCount, selectN, selectResolution } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { SelectField, type SelectFieldClassNames, type SelectFieldOption } from '../internal/SelectField';
import { issueIds, usePromptFormIds } from './context';

/** PromptForm's own class names for its selects, kept for hosts that style them. */
function fieldClassNames(part: 'resolution' | 'imageCount'): SelectFieldClassNames {
  return {
    root: `gen-PromptForm-field gen-PromptForm-${part}`,
    label: 'gen-PromptForm-label',
    trigger: 'gen-PromptForm-select',
    icon: 'gen-PromptForm-selectIcon',
    content: 'gen-PromptForm-selectContent',
    viewport: 'gen-PromptForm-selectViewport',
    item: 'gen-PromptForm-selectItem',
    check: 'gen-PromptForm-selectCheck',
  };
}
const RESOLUTION_CLASSES = fieldClassNames('resolution');
const COUNT_CLASSES = fieldClassNames('imageCount');

/* -------------------------------------------------------------------------------------------------
 * PromptFormResolution
 * -----------------------------------------------------------------------------------------------*/

export interface PromptFormResolutionProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Disables the select. @default false */
  disabled?: boolean;
}

/**
 * Combobox "Resolution" (Radix Select) listing the model's resolutions for the chosen ratio.
 * Renders nothing when the model has no resolution setting.
 *
 * @selector [data-invalid] — the last Generate press found a problem with the resolution
 */
export const PromptFormResolution = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormResolutionProps>(
  function PromptFormResolution({ disabled, ...rest }, ref) {
    const labels = useLabels();
    const store = useGeneratorStore();
    const { baseId } = usePromptFormIds();
    const caps = useGenerator(selectCapabilities);
    const ratio = useGenerator(selectAspectRatio);
    const resolution = useGenerator(selectResolution);
    const issueCount = useGenerator(selectIssueCount('resolution'));

    if (caps.resolutions.length === 0) return null;
    const allowed = resolutionsForRatio(caps, ratio);
    const options: SelectFieldOption[] = caps.resolutions
      .filter((r) => allowed.includes(r) || r === resolution)
      .map((r) => ({ value: r, text: r, disabled: !allowed.includes(r) }));
    const describedBy = issueIds(baseId, 'resolution', issueCount);

    return (
      <SelectField
        {...rest}
        ref={ref}
        classNames={RESOLUTION_CLASSES}
        label={labels.resolution}
        value={resolution ?? ''}
        options={options}
        disabled={disabled}
        invalid={describedBy !== undefined}
        describedBy={describedBy}
        onValueChange={(next) => store.getState().setResolution(next)}
      />
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * PromptFormCount
 * -----------------------------------------------------------------------------------------------*/

export interface PromptFormCountProps extends React.ComponentPropsWithoutRef<'div'> {
  /** Disables the select. @default false */
  disabled?: boolean;
}

/**
 * Number of images (labels.imageCount), only where the model can make more than one per request;
 * lists `n.allowed` or `n.min`…`n.max`.
 *
 * @selector [data-invalid] — the last Generate press found a problem with the count
 */
export const PromptFormCount = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PromptFormCountProps>(function PromptFormCount(
  { disabled, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const { baseId } = usePromptFormIds();
  const caps = useGenerator(selectCapabilities);
  const n = useGenerator(selectN);
  const issueCount = useGenerator(selectIssueCount('n'));

  if (caps.n.max <= 1) return null;
  const values = caps.n.allowed ?? range(caps.n.min, caps.n.max);
  const options: SelectFieldOption[] = values.map((v) => ({ value: String(v), text: String(v) }));
  const describedBy = issueIds(baseId, 'n', issueCount);

  return (
    <SelectField
      {...rest}
      ref={ref}
      classNames={COUNT_CLASSES}
      label={labels.imageCount}
      value={String(n)}
      options={options}
      disabled={disabled}
      invalid={describedBy !== undefined}
      describedBy={describedBy}
      onValueChange={(next) => store.getState().setN(Number(next))}
    />
  );
});

function range(min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = Math.max(1, min); v <= max; v++) out.push(v);
  return out;
}
