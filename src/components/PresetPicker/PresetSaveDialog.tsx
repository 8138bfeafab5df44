'use client';
/**
 * The "Save preset" dialog, loaded on demand (./lazy.ts): a modal dialog named by its heading, with
 * a textbox "Preset name", a checkbox to keep the prompt, and Save / Cancel. Enter saves, Escape
 * cancels, Tab stays inside (../internal/modal.ts); the PresetPicker puts focus back on "Save preset"
 * when it closes.
 */
import * as React from 'react';
import type { GeneratorPreset } from '../../store/types';
import { useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { formatMessage } from '../../labels/format';
import { modalKeyDown } from '../internal/modal';

export interface PresetSaveDialogProps {
  /** The name the textbox starts with (the chosen preset of the user's own, to replace it). */
  initialName: string;
  onSaved: (preset: GeneratorPreset) => void;
  onCancel: () => void;
}

export function PresetSaveDialog({ initialName, onSaved, onCancel }: PresetSaveDialogProps) {
  const labels = useLabels();
  const store = useGeneratorStore();
  const titleId = React.useId();
  const errorId = React.useId();
  const dialogRef = React.useRef<HTMLDivElement>(null);
  const inputRef = React.useRef<HTMLInputElement>(null);
  const [name, setName] = React.useState(initialName);
  const [includePrompt, setIncludePrompt] = React.useState(false);
  const [error, setError] = React.useState<string | undefined>(undefined);
  const [saving, setSaving] = React.useState(false);

  React.useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const save = () => {
    if (saving) return;
    setSaving(true);
    void store
      .getState()
      .savePreset(name, { includePrompt })
      .then((result) => {
        setSaving(false);
        if ('error' in result) {
          setError(formatMessage(labels, result.error));
          inputRef.current?.focus();
        } else {
          onSaved(result.preset);
        }
      });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    // Enter in the textbox or on the checkbox saves (buttons keep their own Enter).
    if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
      return;
    }
    modalKeyDown(event, dialogRef.current, onCancel);
  };

  return (
    <div className="gen-PresetPicker-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onCancel()}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="gen-PresetPicker-dialog"
        ref={dialogRef}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="gen-PresetPicker-dialogTitle">
          {labels.savePreset}
        </h2>
        <label className="gen-PresetPicker-nameField">
          <span className="gen-PresetPicker-fieldLabel">{labels.presetName}</span>
          <input
            ref={inputRef}
            type="text"
            className="gen-PresetPicker-input"
            value={name}
            maxLength={200}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => {
              setName(event.target.value);
              setError(undefined);
            }}
          />
        </label>
        <label className="gen-PresetPicker-check">
          <input type="checkbox" checked={includePrompt} onChange={(event) => setIncludePrompt(event.target.checked)} />
          <span>{labels.presetIncludePrompt}</span>
        </label>
        {error ? (
          <p role="alert" id={errorId} className="gen-PresetPicker-error">
            {error}
          </p>
        ) : null}
        <div className="gen-PresetPicker-dialogActions">
          <button type="button" className="gen-button gen-PresetPicker-save" data-variant="primary" onClick={save}>
            {labels.presetSave}
          </button>
          <button type="button" className="gen-button gen-PresetPicker-cancel" onClick={onCancel}>
            {labels.presetCancel}
          </button>
        </div>
      </div>
    </div>
  );
}
