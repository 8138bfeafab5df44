'use client';
import * as React from 'react';
import { flushSync } from 'react-dom';
import { useGenerator, useGeneratorShallow, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { useGeneratorContext } from '../../hooks/GeneratorContext';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { useIsomorphicLayoutEffect } from '../../hooks/useIsomorphicLayoutEffect';
import { isSafeUrl } from '../../core/protocol';
import { selectReferenceById } from '../../store/selectors';
import type { ReferenceItem } from '../../store/types';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';

/** What the file picker offers; the store still checks the bytes (a renamed PDF is refused there). */
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';
/** Drag payload of a tray item being reordered, so it is never mistaken for a file drop. */
const REFERENCE_DRAG_TYPE = 'application/x-gen-reference';

/* -------------------------------------------------------------------------------------------------
 * Context
 * -----------------------------------------------------------------------------------------------*/

const ROOT_NAME = 'ReferenceTrayRoot';

interface ReferenceTrayContextValue {
  disabled: boolean;
  /** The `max` prop: shown from the first render (the server's too), before the store applies it. */
  max: number;
  /** Id of the visually hidden reorder hint each item is described by. */
  hintId: string;
  /** Adds files through the store and announces how many made it in. */
  addFiles: (files: File[]) => void;
  announce: (message: string) => void;
  /** The file input, registered by the dropzone (focus lands there when the list empties). */
  inputRef: React.RefObject<HTMLInputElement | null>;
  rootRef: React.RefObject<HTMLElement | null>;
}

const ReferenceTrayContext = React.createContext<ReferenceTrayContextValue | null>(null);
/** Kept apart so a drag over the tray re-renders the dropzone only, never the list. */
const DropTargetContext = React.createContext(false);

function useReferenceTrayContext(caller: string): ReferenceTrayContextValue {
  const value = React.useContext(ReferenceTrayContext);
  if (!value) throw new Error(`[gen] \`${caller}\` must be rendered inside <${ROOT_NAME}>.`);
  return value;
}

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayRoot
 * -----------------------------------------------------------------------------------------------*/

type TrayState = 'empty' | 'filled' | 'full';

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
const ReferenceTrayRoot = /* @__PURE__ */ React.forwardRef<HTMLElement, ReferenceTrayRootProps>(
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
    useGeneratorContext(ROOT_NAME);
    const store = useGeneratorStore();
    const labels = useLabels();
    const model = useGenerator((s) => s.model);
    const state = useGenerator((s) => trayState(s.references.length, Math.min(max, s.maxReferences)));
    const [isDropTarget, setDropTarget] = React.useState(false);
    const dragDepth = React.useRef(0);
    const rootRef = React.useRef<HTMLElement | null>(null);
    const inputRef = React.useRef<HTMLInputElement | null>(null);
    const announcerRef = React.useRef<AnnouncerHandle | null>(null);
    const hintId = React.useId();
    const composedRef = useComposedRef(rootRef, forwardedRef);

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
    }, [store, labels, disabled, max, hintId]);

    // Paste anywhere on the page reaches the tray unless a text field takes it (pasting text into the
    // prompt must keep working). With two trays on a page, the first to `preventDefault` wins.
    React.useEffect(() => {
      const doc = rootRef.current?.ownerDocument;
      if (!doc) return;
      const onDocumentPaste = (event: ClipboardEvent) => {
        if (event.defaultPrevented || disabledRef.current) return;
        const target = event.target as Node | null;
        if (target && rootRef.current?.contains(target)) return; // the tray's own handler had it
        const files = filesFromDataTransfer(event.clipboardData).filter(isImageFile);
        if (files.length === 0) return;
        if (isTextField(target) && Array.from(event.clipboardData?.types ?? []).includes('text/plain')) return;
        event.preventDefault();
        context.addFiles(files);
      };
      doc.addEventListener('paste', onDocumentPaste);
      return () => doc.removeEventListener('paste', onDocumentPaste);
    }, [context]);

    const resetDrag = () => {
      dragDepth.current = 0;
      setDropTarget(false);
    };

    return (
      <ReferenceTrayContext.Provider value={context}>
        <DropTargetContext.Provider value={isDropTarget}>
          <section
            data-state={state}
            data-drop-target={isDropTarget ? '' : undefined}
            data-disabled={disabled ? '' : undefined}
            {...rest}
            className={cx('gen-ReferenceTray', className)}
            ref={composedRef}
            onDragEnter={composeEventHandlers(onDragEnter, (event) => {
              if (!hasFiles(event.dataTransfer)) return;
              event.preventDefault();
              dragDepth.current += 1;
              if (!disabled) setDropTarget(true);
            })}
            onDragOver={composeEventHandlers(onDragOver, (event) => {
              if (!hasFiles(event.dataTransfer)) return;
              // Always prevent: a file dropped on a disabled tray must not make the browser open it.
              event.preventDefault();
              event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
            })}
            onDragLeave={composeEventHandlers(onDragLeave, (event) => {
              if (!hasFiles(event.dataTransfer)) return;
              dragDepth.current = Math.max(0, dragDepth.current - 1);
              if (dragDepth.current === 0) setDropTarget(false);
            })}
            onDrop={composeEventHandlers(onDrop, (event) => {
              if (!hasFiles(event.dataTransfer)) return;
              event.preventDefault();
              resetDrag();
              context.addFiles(filesFromDataTransfer(event.dataTransfer));
            })}
            onPaste={composeEventHandlers(onPaste, (event) => {
              if (disabled) return;
              const files = filesFromDataTransfer(event.clipboardData);
              if (files.length === 0) return;
              event.preventDefault();
              context.addFiles(files);
            })}
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

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayDropzone
 * -----------------------------------------------------------------------------------------------*/

export interface ReferenceTrayDropzoneProps extends React.ComponentPropsWithoutRef<'label'> {
  /** Props for the (visually hidden, still focusable) file input. */
  inputProps?: Omit<React.ComponentPropsWithoutRef<'input'>, 'type' | 'multiple' | 'accept'>;
}

/**
 * The file picker, styled as a drop zone: a `<label>` wrapping a real `<input type="file" multiple>`
 * named "Add reference images". Clicking anywhere on the zone opens the picker.
 * @selector [data-drop-target] while files are dragged over the tray
 * @selector [data-disabled]
 */
const ReferenceTrayDropzone = /* @__PURE__ */ React.forwardRef<HTMLLabelElement, ReferenceTrayDropzoneProps>(
  function ReferenceTrayDropzone({ className, children, inputProps, ...rest }, ref) {
    const ctx = useReferenceTrayContext('ReferenceTrayDropzone');
    const labels = useLabels();
    const isDropTarget = React.useContext(DropTargetContext);
    const hintId = React.useId();
    const { onChange, className: inputClassName, ...inputRest } = inputProps ?? {};
    return (
      <label
        data-drop-target={isDropTarget ? '' : undefined}
        data-disabled={ctx.disabled ? '' : undefined}
        {...rest}
        className={cx('gen-ReferenceTray-dropzone', className)}
        ref={ref}
      >
        <input
          aria-label={labels.addReferences}
          aria-describedby={hintId}
          disabled={ctx.disabled}
          {...inputRest}
          ref={ctx.inputRef}
          type="file"
          multiple
          accept={ACCEPT}
          className={cx('gen-visually-hidden gen-ReferenceTray-input', inputClassName)}
          onChange={composeEventHandlers(onChange, (event) => {
            const files = Array.from(event.currentTarget.files ?? []);
            // Cleared so picking the same file again (after removing it) fires `change` again.
            event.currentTarget.value = '';
            ctx.addFiles(files);
          })}
        />
        {children ?? (
          <>
            <svg className="gen-ReferenceTray-dropzone-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
            </svg>
            <span className="gen-ReferenceTray-dropzone-title">
              {isDropTarget ? labels.dropHere : labels.addReferences}
            </span>
            <span id={hintId} className="gen-ReferenceTray-dropzone-hint">
              {labels.dropHint}
            </span>
            <span className="gen-ReferenceTray-dropzone-button" aria-hidden="true">
              {labels.chooseFiles}
            </span>
          </>
        )}
      </label>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayCount
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayCountProps = React.ComponentPropsWithoutRef<'p'>;

/**
 * The visible count against the maximum, e.g. `3 / 14`.
 * @selector [data-state="empty" | "filled" | "full"]
 */
const ReferenceTrayCount = /* @__PURE__ */ React.forwardRef<HTMLParagraphElement, ReferenceTrayCountProps>(
  function ReferenceTrayCount({ className, ...rest }, ref) {
    const ctx = useReferenceTrayContext('ReferenceTrayCount');
    const labels = useLabels();
    const count = useGenerator((s) => s.references.length);
    const storeMax = useGenerator((s) => s.maxReferences);
    const max = Math.min(ctx.max, storeMax);
    return (
      <p data-state={trayState(count, max)} {...rest} className={cx('gen-ReferenceTray-count', className)} ref={ref}>
        {labels.referenceCount(count, max)}
      </p>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayNotices
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayNoticesProps = React.ComponentPropsWithoutRef<'div'>;

/**
 * Files the store refused (too many, not an image, duplicate…), in one `role="alert"` region that is
 * always present so additions are announced. Each notice has a Dismiss button.
 * @selector [data-state="empty" | "filled"]
 */
const ReferenceTrayNotices = /* @__PURE__ */ React.forwardRef<HTMLDivElement, ReferenceTrayNoticesProps>(
  function ReferenceTrayNotices({ className, ...rest }, ref) {
    const ctx = useReferenceTrayContext('ReferenceTrayNotices');
    const store = useGeneratorStore();
    const labels = useLabels();
    const notices = useGenerator((s) => s.notices);
    const baseId = React.useId();
    const ownRef = React.useRef<HTMLDivElement | null>(null);
    const composedRef = useComposedRef(ownRef, ref);

    const dismiss = (id: string, index: number) => {
      const buttons = ownRef.current?.querySelectorAll<HTMLButtonElement>('.gen-ReferenceTray-notice-dismiss');
      const hadFocus = Array.from(buttons ?? []).some((b) => b === b.ownerDocument.activeElement);
      const next = buttons?.[index + 1] ?? buttons?.[index - 1];
      store.getState().dismissNotice(id);
      if (hadFocus) (next ?? ctx.inputRef.current)?.focus();
    };

    return (
      <div
        role="alert"
        data-state={notices.length ? 'filled' : 'empty'}
        {...rest}
        className={cx('gen-ReferenceTray-notices', className)}
        ref={composedRef}
      >
        {notices.map((notice, index) => (
          <div key={notice.id} className="gen-ReferenceTray-notice" data-code={notice.code}>
            <span id={`${baseId}-${notice.id}`} className="gen-ReferenceTray-notice-message">
              {notice.message}
            </span>
            <button
              type="button"
              className="gen-button gen-ReferenceTray-notice-dismiss"
              aria-describedby={`${baseId}-${notice.id}`}
              onClick={() => dismiss(notice.id, index)}
            >
              {labels.dismissNotice}
            </button>
          </div>
        ))}
      </div>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayList
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayListProps = React.ComponentPropsWithoutRef<'ul'>;

/**
 * The references, in the order they are sent, as a list named "Reference images". Without
 * children it renders one `ReferenceTrayItem` per reference. It reads only the ids, so an upload
 * finishing re-renders that one item.
 * @selector [data-state="empty" | "filled"]
 */
const ReferenceTrayList = /* @__PURE__ */ React.forwardRef<HTMLUListElement, ReferenceTrayListProps>(
  function ReferenceTrayList({ className, children, ...rest }, ref) {
    useReferenceTrayContext('ReferenceTrayList');
    const labels = useLabels();
    const ids = useGeneratorShallow((s) => s.references.map((r) => r.id));
    return (
      <ul
        aria-label={labels.referenceList}
        data-state={ids.length ? 'filled' : 'empty'}
        {...rest}
        className={cx('gen-ReferenceTray-list', className)}
        ref={ref}
      >
        {children ?? ids.map((id) => <ReferenceTrayItem key={id} referenceId={id} />)}
      </ul>
    );
  },
);

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayItem
 * -----------------------------------------------------------------------------------------------*/

export interface ReferenceTrayItemProps extends React.ComponentPropsWithoutRef<'li'> {
  /** The `id` of the reference in the store. */
  referenceId: string;
}

/**
 * One reference: thumbnail, name, state, upload progress, error with Retry, and Remove. Focusable;
 * Alt+Arrow keys move it (focus follows), and it can be dragged onto another item.
 * @selector [data-state="checking" | "uploading" | "ready" | "error"]
 * @selector [data-downscaled] when the image was shrunk to fit the model's size limit
 * @selector [data-dragging] while it is being dragged; [data-drop-target] while another item is over it
 */
const ReferenceTrayItem = /* @__PURE__ */ React.memo(
  /* @__PURE__ */ React.forwardRef<HTMLLIElement, ReferenceTrayItemProps>(function ReferenceTrayItem(props, ref) {
    const { referenceId, className, onKeyDown, onDragStart, onDragEnd, onDragOver, onDragLeave, onDrop, ...rest } = props;
    const ctx = useReferenceTrayContext('ReferenceTrayItem');
    const store = useGeneratorStore();
    const labels = useLabels();
    const select = React.useMemo(() => selectReferenceById(referenceId), [referenceId]);
    const reference = useGenerator(select);
    const [dragging, setDragging] = React.useState(false);
    const [dropTarget, setDropTarget] = React.useState(false);
    const errorId = React.useId();
    if (!reference) return null;

    const { name, state, progress, previewUrl, error, downscaled } = reference;
    const { disabled } = ctx;

    const move = (delta: number) => {
      const refs = store.getState().references;
      const from = refs.findIndex((r) => r.id === referenceId);
      const to = Math.max(0, Math.min(refs.length - 1, from + delta));
      if (from < 0 || from === to) return;
      const doc = ctx.rootRef.current?.ownerDocument;
      const active = doc?.activeElement;
      // Render now so focus can be put back at once: moving a focused node in the DOM blurs it.
      flushSync(() => store.getState().moveReference(referenceId, to));
      if (active instanceof HTMLElement && active.isConnected && doc?.activeElement !== active) active.focus();
      ctx.announce(labels.referenceMoved(name, to + 1, refs.length));
    };

    const remove = () => {
      const ids = store.getState().references.map((r) => r.id);
      const index = ids.indexOf(referenceId);
      const nextId = ids[index + 1] ?? ids[index - 1];
      store.getState().removeReference(referenceId);
      ctx.announce(labels.referenceRemoved(name));
      // Keep keyboard users in place: the next item's Remove, else the previous one's, else the picker.
      const next = nextId === undefined ? undefined : findItem(ctx.rootRef.current, nextId);
      const target =
        next?.querySelector<HTMLButtonElement>('.gen-ReferenceTray-remove:not(:disabled)') ?? next ?? ctx.inputRef.current;
      target?.focus();
    };

    return (
      <li
        data-state={state}
        data-reference-id={referenceId}
        data-downscaled={downscaled ? '' : undefined}
        data-dragging={dragging ? '' : undefined}
        data-drop-target={dropTarget ? '' : undefined}
        data-disabled={disabled ? '' : undefined}
        tabIndex={0}
        aria-describedby={ctx.hintId}
        draggable={!disabled}
        {...rest}
        className={cx('gen-ReferenceTray-item', className)}
        ref={ref}
        onKeyDown={composeEventHandlers(onKeyDown, (event) => {
          if (disabled || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
          const delta = KEY_DELTA[event.key];
          if (delta === undefined) return;
          event.preventDefault();
          move(delta);
        })}
        onDragStart={composeEventHandlers(onDragStart, (event) => {
          if (disabled) return;
          event.dataTransfer.setData(REFERENCE_DRAG_TYPE, referenceId);
          event.dataTransfer.effectAllowed = 'move';
          setDragging(true);
        })}
        onDragEnd={composeEventHandlers(onDragEnd, () => setDragging(false))}
        onDragOver={composeEventHandlers(onDragOver, (event) => {
          if (disabled || !hasType(event.dataTransfer, REFERENCE_DRAG_TYPE)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'move';
          if (!dragging) setDropTarget(true);
        })}
        onDragLeave={composeEventHandlers(onDragLeave, (event) => {
          if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
          setDropTarget(false);
        })}
        onDrop={composeEventHandlers(onDrop, (event) => {
          if (!hasType(event.dataTransfer, REFERENCE_DRAG_TYPE)) return;
          event.preventDefault();
          setDropTarget(false);
          const movedId = event.dataTransfer.getData(REFERENCE_DRAG_TYPE);
          const refs = store.getState().references;
          const to = refs.findIndex((r) => r.id === referenceId);
          const moved = refs.find((r) => r.id === movedId);
          if (disabled || !moved || movedId === referenceId || to < 0) return;
          store.getState().moveReference(movedId, to);
          ctx.announce(labels.referenceMoved(moved.name, to + 1, refs.length));
        })}
      >
        <div className="gen-ReferenceTray-thumb">
          {previewUrl && isSafeUrl(previewUrl) ? (
            <img className="gen-ReferenceTray-image" src={previewUrl} alt={name} draggable={false} />
          ) : (
            <span className="gen-ReferenceTray-placeholder" aria-hidden="true">
              <svg viewBox="0 0 24 24" focusable="false">
                <path d="M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5h.01" />
              </svg>
            </span>
          )}
          {state === 'uploading' && (
            <div
              role="progressbar"
              aria-label={labels.uploadProgress(name)}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={progress ?? undefined}
              data-state={progress === null ? 'indeterminate' : 'loading'}
              className="gen-ReferenceTray-progress"
              style={{ '--gen-progress': `${progress ?? 0}%` }}
            >
              <div className="gen-ReferenceTray-progress-indicator" />
            </div>
          )}
        </div>
        <div className="gen-ReferenceTray-meta">
          <span className="gen-ReferenceTray-name" title={name}>
            {name}
          </span>
          <span className="gen-ReferenceTray-state" data-state={state}>
            {labels.referenceState[state]}
          </span>
          {downscaled && <span className="gen-ReferenceTray-downscaled">{labels.referenceDownscaled}</span>}
          {state === 'error' && (
            <>
              {error && (
                <span id={errorId} className="gen-ReferenceTray-error">
                  {error.message}
                </span>
              )}
              <button
                type="button"
                className="gen-button gen-ReferenceTray-retry"
                aria-label={labels.retryUpload(name)}
                aria-describedby={error ? errorId : undefined}
                disabled={disabled}
                onClick={() => store.getState().retryReference(referenceId)}
              >
                {labels.retry}
              </button>
            </>
          )}
        </div>
        <button
          type="button"
          className="gen-ReferenceTray-remove"
          aria-label={labels.removeReference(name)}
          title={labels.removeReference(name)}
          disabled={disabled}
          onClick={remove}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </li>
    );
  }),
);

/* -------------------------------------------------------------------------------------------------
 * ReferenceTray (ready-made composition)
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayProps = ReferenceTrayRootProps;

/**
 * The whole tray: drop zone with file picker, count, notices and the list of references.
 * Files are added by picking, dropping or pasting; every file goes through the store, which checks
 * the bytes, size, count and duplicates, and uploads it at once.
 */
const ReferenceTrayComposition = /* @__PURE__ */ React.forwardRef<HTMLElement, ReferenceTrayProps>(function ReferenceTrayComposition(
  props,
  ref,
) {
  return (
    <ReferenceTrayRoot {...props} ref={ref}>
      <div className="gen-ReferenceTray-header">
        <ReferenceTrayDropzone />
        <ReferenceTrayCount />
      </div>
      <ReferenceTrayNotices />
      <ReferenceTrayList />
    </ReferenceTrayRoot>
  );
});

// A crash here shows a recoverable message and leaves the other components working (issue 6).
const ReferenceTrayBase = /* @__PURE__ */ React.forwardRef<HTMLElement, ReferenceTrayProps>(function ReferenceTray(props, ref) {
  return (
    <GeneratorErrorBoundary name="ReferenceTray">
      <ReferenceTrayComposition {...props} ref={ref} />
    </GeneratorErrorBoundary>
  );
});

const ReferenceTray = /* @__PURE__ */ Object.assign(ReferenceTrayBase, {
  Root: ReferenceTrayRoot,
  Dropzone: ReferenceTrayDropzone,
  Count: ReferenceTrayCount,
  Notices: ReferenceTrayNotices,
  List: ReferenceTrayList,
  Item: ReferenceTrayItem,
});

/* -------------------------------------------------------------------------------------------------
 * Private helpers
 * -----------------------------------------------------------------------------------------------*/

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

const KEY_DELTA: Partial<Record<string, number>> = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1 };

function trayState(count: number, max: number): TrayState {
  return count === 0 ? 'empty' : count >= max ? 'full' : 'filled';
}

function hasType(dt: DataTransfer | null | undefined, type: string): boolean {
  return !!dt && Array.from(dt.types ?? []).includes(type);
}

function hasFiles(dt: DataTransfer | null | undefined): boolean {
  return hasType(dt, 'Files');
}

function filesFromDataTransfer(dt: DataTransfer | null | undefined): File[] {
  if (!dt) return [];
  const files = Array.from(dt.files ?? []);
  if (files.length) return files;
  return Array.from(dt.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((f): f is File => f !== null);
}

function isImageFile(file: File): boolean {
  return /^image\//i.test(file.type);
}

function isTextField(target: Node | null): boolean {
  if (!target || target.nodeType !== 1) return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit'].includes(type);
}

function findItem(root: HTMLElement | null, id: string): HTMLElement | undefined {
  if (!root) return undefined;
  return Array.from(root.querySelectorAll<HTMLElement>('.gen-ReferenceTray-item')).find(
    (el) => el.dataset.referenceId === id,
  );
}

function useComposedRef<T>(
  own: React.RefObject<T | null>,
  forwarded: React.ForwardedRef<T> | null,
): React.RefCallback<T> {
  return React.useCallback(
    (node: T | null) => {
      own.current = node;
      if (typeof forwarded === 'function') forwarded(node);
      else if (forwarded) forwarded.current = node;
    },
    [own, forwarded],
  );
}


export {
  ReferenceTray,
  ReferenceTrayRoot,
  ReferenceTrayDropzone,
  ReferenceTrayCount,
  ReferenceTrayNotices,
  ReferenceTrayList,
  ReferenceTrayItem,
};
