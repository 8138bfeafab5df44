/** The props of `<MaskEditor>`, shared by its shell (./MaskEditor.tsx) and its on-demand dialog. */
export interface MaskEditorProps {
  /** Whether the editor is shown. */
  open: boolean;
  /**
   * Called with `false` when the editor wants to close: after "Apply mask", on "Cancel" or Escape
   * (after "Discard" when there were changes). Focus goes back to the element that had it when the
   * editor opened.
   */
  onOpenChange: (open: boolean) => void;
  /** The reference to draw on (`ReferenceItem.id`). @default the first reference */
  referenceId?: string;
  /** Class of the dialog element. */
  className?: string;
}
