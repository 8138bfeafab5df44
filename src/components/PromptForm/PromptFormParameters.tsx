'use client';
import * as React from 'react';
import type { ModelParameters, ParameterSpec, ParameterValue } from '../../core/parameters';
import { selectCapabilities, selectIssueCount, selectIssues, selectParameters } from '../../store/selectors';
import { useGenerator } from '../../hooks/useGenerator';
import { useGeneratorContext } from '../../hooks/GeneratorContext';
import { cx } from '../../hooks/cx';
import { issueId, usePromptFormIds } from './context';
import { ParameterControl, requirementMet } from './ParameterControl';

export interface PromptFormParametersProps extends Omit<React.ComponentPropsWithoutRef<'details'>, 'open' | 'onToggle'> {
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
export const PromptFormParameters = /* @__PURE__ */ React.forwardRef<HTMLDetailsElement, PromptFormParametersProps>(
  function PromptFormParameters({ defaultOpen = false, className, ...rest }, ref) {
    const { labels, store, setParameters: setThroughProvider } = useGeneratorContext('PromptForm.Parameters');
    const { baseId } = usePromptFormIds();
    const caps = useGenerator(selectCapabilities);
    const values = useGenerator(selectParameters);
    const issues = useGenerator(selectIssues);
    const issueCount = useGenerator(selectIssueCount('parameters'));
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
