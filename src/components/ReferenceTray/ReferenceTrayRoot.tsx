'use client';
import * as React from 'react';
import { selectMaxReferences, selectModel, selectReferenceCount } from '../../store/selectors';
import type { ReferenceItem } from '../../store/types';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { useGeneratorContext } from '../../hooks/GeneratorContext';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { useIsomorphicLayoutEffect } from '../../hooks/useIsomorphicLayoutEffect';
import { DropTargetContext, ReferenceTrayContext, type ReferenceTrayContextValue } from './context';
import { filesFromDataTransfer, hasFiles, isImageFile, isTextField, trayState, useComposedRef } from './dom';

export interface ReferenceTrayRootProps extends React.ComponentPropsWithoutRef<'section'> {
  /**
   * Most reference images the tray accepts; the model's own limit caps it (the shown maximum is the
   * smaller of the two).
   * @default 14
   */
  max?: number;
  /**
   * Refuses new files, removal and reordering.
   * @selector [data-disabled]
   * @default false
   */
  disabled?: boolean;
  /** Called with the references whenever they change (added, uploaded, removed, moved). */
  onReferencesChange?: (references: ReferenceItem[]) => void;
}

/**
 * The tray's container: owns drag-and-drop of files, paste, the live region and the `max` setting.
 * @selector [data-state="empty" | "filled" | "full"]
 * @selector [data-drop-target] while files are dragged over it
 */
export const ReferenceTrayRoot = /* @__PURE__ */ React.forwardRef<HTMLElement, ReferenceTrayRootProps>(
  function ReferenceTrayRoot(props, forwardedRef) {
    const {
      max = 14,
      disabled = false,
      onReferencesChange,
      className,
      children,
      onDragEnter,
      onDragOver,
      onDragLeave,
      onDrop,
      onPaste,
      ...rest
    } = props;
    useGeneratorContext('ReferenceTrayRoot');
    const labels = useLabels();
    const count = useGenerator(selectReferenceCount);
    const storeMax = useGenerator(selectMaxReferences);
    const rootRef = React.useRef<HTMLElement | null>(null);
    const hintId = React.useId();
    const composedRef = useComposedRef(rootRef, forwardedRef);
    const { context, announcerRef, disabledRef } = useTrayController({ max, disabled, onReferencesChange, hintId, rootRef });
    useDocumentPaste(context, disabledRef);
    const { isDropTarget, handlers } = useFileDrop(context, disabled, { onDragEnter, onDragOver, onDragLeave, onDrop, onPaste });

    return (
      <ReferenceTrayContext.Provider value={context}>
        <DropTargetContext.Provider value={isDropTarget}>
          <section
            data-state={trayState(count, Math.min(max, storeMax))}
            data-drop-target={isDropTarget ? '' : undefined}
            data-disabled={disabled ? '' : undefined}
            {...rest}
            className={cx('gen-ReferenceTray', className)}
            ref={composedRef}
            {...handlers}
          >
            {children}
            <span id={hintId} className="gen-ReferenceTray-hint" hidden>
              {labels.referenceReorderHint}
            </span>
            <ReferenceTrayAnnouncer ref={announcerRef} />
          </section>
        </DropTargetContext.Provider>
      </ReferenceTrayContext.Provider>
    );
  },
);

interface TrayControllerOptions {
  max: number;
  disabled: boolean;
  onReferencesChange: ((references: ReferenceItem[]) => void) | undefined;
  hintId: string;
  rootRef: React.RefObject<HTMLElement | null>;
}

/** Applies `max` to the store, reports reference changes, and builds the context the parts share. */
function useTrayController({ max, disabled, onReferencesChange, hintId, rootRef }: TrayControllerOptions) {
  const store = useGeneratorStore();
  const labels = useLabels();
  const model = useGenerator(selectModel);
  const inputRef = React.useRef<HTMLInputElement | null>(null);
  const announcerRef = React.useRef<AnnouncerHandle | null>(null);

  // Re-applied when the model changes, because `setModel` resets the cap to the store's default.
  useIsomorphicLayoutEffect(() => {
    store.getState().setMaxReferences(max);
  }, [store, max, model]);

  const onChangeRef = React.useRef(onReferencesChange);
  const disabledRef = React.useRef(disabled);
  useIsomorphicLayoutEffect(() => {
    onChangeRef.current = onReferencesChange;
    disabledRef.current = disabled;
  });
  React.useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.references !== prev.references) onChangeRef.current?.(s.references);
      }),
    [store],
  );

  const context = React.useMemo<ReferenceTrayContextValue>(() => {
    const announce = (message: string) => announcerRef.current?.announce(message);
    const addFiles = (files: File[]) => {
      if (disabledRef.current || files.length === 0) return;
      const before = new Set(store.getState().references.map((r) => r.id));
      void store
        .getState()
        .addReferences(files)
        .then(() => {
          const added = store.getState().references.filter((r) => !before.has(r.id)).length;
          if (added > 0) announce(labels.referenceAdded(added));
        });
    };
    return { disabled, max, hintId, addFiles, announce, inputRef, rootRef };
  }, [store, labels, disabled, max, hintId, rootRef]);

  return { context, announcerRef, disabledRef };
}

/**
 * Paste anywhere on the page reaches the tray unless a text field takes it (pasting text into the
 * prompt must keep working). With two trays on a page, the first to `preventDefault` wins.
 */
function useDocumentPaste(context: ReferenceTrayContextValue, disabledRef: React.RefObject<boolean>) {
  React.useEffect(() => {
    const root = context.rootRef;
    const doc = root.current?.ownerDocument;
    if (!doc) return;
    const onDocumentPaste = (event: ClipboardEvent) => {
      if (event.defaultPrevented || disabledRef.current) return;
      const target = event.target as Node | null;
      if (target && root.current?.contains(target)) return; // the tray's own handler had it
      const files = filesFromDataTransfer(event.clipboardData).filter(isImageFile);
      if (files.length === 0) return;
      if (isTextField(target) && Array.from(event.clipboardData?.types ?? []).includes('text/plain')) return;
      event.preventDefault();
      context.addFiles(files);
    };
    doc.addEventListener('paste', onDocumentPaste);
    return () => doc.removeEventListener('paste', onDocumentPaste);
  }, [context, disabledRef]);
}

type DropHandlers = Pick<React.ComponentPropsWithoutRef<'section'>, 'onDragEnter' | 'onDragOver' | 'onDragLeave' | 'onDrop' | 'onPaste'>;

/** Files dragged over, dropped on or pasted into the tray; the host's handlers run first. */
function useFileDrop(context: ReferenceTrayContextValue, disabled: boolean, host: DropHandlers) {
  const [isDropTarget, setDropTarget] = React.useState(false);
  const dragDepth = React.useRef(0);
  const handlers: DropHandlers = {
    onDragEnter: composeEventHandlers(host.onDragEnter, (event) => {
      if (!hasFiles(event.dataTransfer)) return;
      event.preventDefault();
      dragDepth.current += 1;
      if (!disabled) setDropTarget(true);
    }),
    onDragOver: composeEventHandlers(host.onDragOver, (event) => {
      if (!hasFiles(event.dataTransfer)) return;
      // Always prevent: a file dropped on a disabled tray must not make the browser open it.
      event.preventDefault();
      event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    }),
    onDragLeave: composeEventHandlers(host.onDragLeave, (event) => {
      if (!hasFiles(event.dataTransfer)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDropTarget(false);
    }),
    onDrop: composeEventHandlers(host.onDrop, (event) => {
      if (!hasFiles(event.dataTransfer)) return;
      event.preventDefault();
      dragDepth.current = 0;
      setDropTarget(false);
      context.addFiles(filesFromDataTransfer(event.dataTransfer));
    }),
    onPaste: composeEventHandlers(host.onPaste, (event) => {
      if (disabled) return;
      const files = filesFromDataTransfer(event.clipboardData);
      if (files.length === 0) return;
      event.preventDefault();
      context.addFiles(files);
    }),
  };
  return { isDropTarget, handlers };
}

interface AnnouncerHandle {
  announce(message: string): void;
}

/** The tray's one polite live region (visually hidden). A fresh node per message re-announces repeats. */
const ReferenceTrayAnnouncer = React.forwardRef<AnnouncerHandle>(function ReferenceTrayAnnouncer(_props, ref) {
  const [message, setMessage] = React.useState({ text: '', seq: 0 });
  React.useImperativeHandle(ref, () => ({ announce: (text) => setMessage((m) => ({ text, seq: m.seq + 1 })) }), []);
  return (
    <div className="gen-visually-hidden gen-ReferenceTray-announcer" aria-live="polite" aria-atomic="true">
      {message.text && <span key={message.seq}>{message.text}</span>}
    </div>
  );
});
