'use client';
import * as React from 'react';
import { saveBlobAs } from '../../browser/download';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { formatMessage } from '../../labels/format';
import { loadPresets, presetId } from '../../store/slices/presets';
import type { GeneratorPreset, GeneratorState } from '../../store/types';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { SelectField, type SelectFieldClassNames, type SelectFieldOption } from '../internal/SelectField';
import { LazyPresetSaveDialog, saveDialogModule } from './lazy';

/* -------------------------------------------------------------------------------------------------
 * PresetPicker
 * -----------------------------------------------------------------------------------------------*/

interface PresetPickerProps extends React.ComponentPropsWithoutRef<'div'> {
  /** @default false */
  disabled?: boolean;
  /** Show "Export presets" and "Import presets". @default true */
  importExport?: boolean;
  /** Name of the file "Export presets" saves. @default 'presets.json' */
  exportFileName?: string;
  /** Called after a preset was applied from the list. */
  onPresetApply?: (preset: GeneratorPreset) => void;
}

const selectHost = (s: GeneratorState) => s.hostPresets;
const selectUser = (s: GeneratorState) => s.userPresets;
const selectActive = (s: GeneratorState) => s.activePreset;

/**
 * Presets: combobox "Preset" listing the host's presets ("Presets", provider prop `presets`) and
 * the user's own ("My presets"); choosing one applies it (store `applyPreset`) and the combobox
 * shows it (store `activePreset`) until another is chosen or it is deleted. "Save preset" opens a
 * modal dialog (loaded on demand) that saves the current settings; "Delete preset" deletes the
 * chosen one when it is the user's own. "Export presets" saves the user's presets as
 * `presets.json`; "Import presets" reads such a file (all or nothing: an error is shown in an alert).
 * Applying, saving, deleting and importing are announced politely.
 *
 * @selector [data-disabled] on the root; Radix's `data-state` on the combobox (see SelectField)
 */
const PresetPickerComposition = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PresetPickerProps>(function PresetPickerComposition(
  { disabled = false, importExport = true, exportFileName = 'presets.json', onPresetApply, className, ...rest },
  ref,
) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const host = useGenerator(selectHost);
  const user = useGenerator(selectUser);
  const active = useGenerator(selectActive);
  const [dialogOpen, setDialogOpen] = React.useState(false);
  const [status, setStatus] = React.useState('');
  const [error, setError] = React.useState<string | undefined>(undefined);
  const rootRef = React.useRef<HTMLDivElement | null>(null);
  const saveRef = React.useRef<HTMLButtonElement>(null);
  const fileRef = React.useRef<HTMLInputElement>(null);
  const setRefs = React.useCallback(
    (node: HTMLDivElement | null) => {
      rootRef.current = node;
      if (typeof ref === 'function') ref(node);
      else if (ref) ref.current = node;
    },
    [ref],
  );

  // The user's own presets are read from storage with the presets code.
  React.useEffect(() => void loadPresets().catch(() => {}), []);

  const options: SelectFieldOption[] = [
    ...host.map((p) => option(p, presetId('host', p.name), labels.hostPresetsGroup)),
    ...user.map((p) => option(p, presetId('user', p.name), labels.userPresetsGroup)),
  ];
  const find = (id: string | undefined) =>
    id === undefined ? undefined : id.startsWith('host:') ? host.find((p) => presetId('host', p.name) === id) : user.find((p) => presetId('user', p.name) === id);
  const chosen = find(active);
  const value = chosen && active !== undefined ? active : '';
  const activeUser = value.startsWith('user:') ? chosen : undefined;

  const say = (text: string) => {
    setError(undefined);
    setStatus(text);
  };
  const focusCombobox = () => rootRef.current?.querySelector<HTMLElement>('[role="combobox"]')?.focus();

  const apply = (id: string) => {
    const preset = find(id);
    void store
      .getState()
      .applyPreset(id)
      .then((done) => {
        if (!done || !preset) return;
        say(labels.presetApplied(preset.name));
        onPresetApply?.(preset);
      });
  };

  const remove = () => {
    if (!activeUser) return;
    const name = activeUser.name;
    void store
      .getState()
      .deletePreset(presetId('user', name))
      .then((done) => {
        if (!done) return;
        say(labels.presetDeleted(name));
        // The button is gone with the preset: focus goes back to the list.
        focusCombobox();
      });
  };

  const exportAll = () => {
    void store
      .getState()
      .exportPresets()
      .then((json) => void saveBlobAs(new Blob([json], { type: 'application/json' }), exportFileName));
  };

  const importFile = (file: File | undefined) => {
    if (!file) return;
    void file
      .text()
      .then((json) => store.getState().importPresets(json))
      .then((result) => {
        if ('error' in result) {
          setStatus('');
          setError(formatMessage(labels, result.error));
        } else {
          say(labels.presetsImported(result.added + result.replaced));
        }
      })
      .catch(() => setError(formatMessage(labels, { code: 'preset.invalid_json', message: 'The file could not be read; no presets were imported.' })));
  };

  const closeDialog = () => {
    setDialogOpen(false);
    saveRef.current?.focus();
  };

  return (
    <div data-disabled={disabled ? '' : undefined} {...rest} className={cx('gen-PresetPicker', className)} ref={setRefs}>
      <SelectField
        classNames={PICKER_CLASSES}
        label={labels.preset}
        value={value}
        valueText={chosen?.name ?? null}
        placeholder={labels.presetPlaceholder}
        options={options}
        onValueChange={apply}
        disabled={disabled || options.length === 0}
      />
      <div className="gen-PresetPicker-actions">
        <button
          type="button"
          className="gen-button gen-PresetPicker-saveButton"
          disabled={disabled}
          aria-haspopup="dialog"
          ref={saveRef}
          onPointerEnter={warmDialog}
          onFocus={warmDialog}
          onClick={() => {
            setError(undefined);
            setDialogOpen(true);
          }}
        >
          {labels.savePreset}
        </button>
        {activeUser ? (
          <button type="button" className="gen-button gen-PresetPicker-delete" data-variant="danger" disabled={disabled} onClick={remove}>
            {labels.deletePreset}
          </button>
        ) : null}
        {importExport ? (
          <>
            <button type="button" className="gen-button gen-PresetPicker-export" disabled={disabled || user.length === 0} onClick={exportAll}>
              {labels.exportPresets}
            </button>
            <button type="button" className="gen-button gen-PresetPicker-import" disabled={disabled} onClick={() => fileRef.current?.click()}>
              {labels.importPresets}
            </button>
            <input
              ref={fileRef}
              type="file"
              accept=".json,application/json"
              hidden
              tabIndex={-1}
              aria-hidden="true"
              className="gen-PresetPicker-file"
              onChange={(event) => {
                importFile(event.target.files?.[0]);
                event.target.value = ''; // the same file can be chosen again
              }}
            />
          </>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="gen-PresetPicker-error">
          {error}
        </p>
      ) : null}
      <div role="status" aria-live="polite" aria-atomic="true" className="gen-visually-hidden gen-PresetPicker-announcer">
        {status}
      </div>
      {dialogOpen ? (
        <LazyPresetSaveDialog
          initialName={activeUser?.name ?? ''}
          onCancel={closeDialog}
          onSaved={(preset: GeneratorPreset) => {
            closeDialog();
            say(labels.presetSaved(preset.name));
          }}
        />
      ) : null}
    </div>
  );
});

const warmDialog = () => void saveDialogModule.load().catch(() => {});

const PICKER_CLASSES: SelectFieldClassNames = {
  root: 'gen-PresetPicker-field',
  label: 'gen-PresetPicker-label',
  trigger: 'gen-PresetPicker-trigger',
  icon: 'gen-PresetPicker-icon',
  content: 'gen-PresetPicker-content',
  viewport: 'gen-PresetPicker-viewport',
  item: 'gen-PresetPicker-item',
  groupLabel: 'gen-PresetPicker-groupLabel',
  scroll: 'gen-PresetPicker-scroll',
};

/** One preset in the list: its name and, quieter, its description. */
function option(preset: GeneratorPreset, value: string, group: string): SelectFieldOption {
  return {
    value,
    group,
    text: (
      <span className="gen-PresetPicker-itemText">
        <span className="gen-PresetPicker-name">{preset.name}</span>
        {preset.description ? (
          <>
            {' '}
            <span className="gen-PresetPicker-description">{preset.description}</span>
          </>
        ) : null}
      </span>
    ),
  };
}

// A crash here shows a recoverable message and leaves the other components working (issue 6).
const PresetPicker = /* @__PURE__ */ React.forwardRef<HTMLDivElement, PresetPickerProps>(function PresetPicker(props, ref) {
  return (
    <GeneratorErrorBoundary name="PresetPicker">
      <PresetPickerComposition {...props} ref={ref} />
    </GeneratorErrorBoundary>
  );
});

export { PresetPicker };
export type { PresetPickerProps };
