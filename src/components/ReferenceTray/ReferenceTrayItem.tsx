'use client';
import * as React from 'react';
import { flushSync } from 'react-dom';
import { selectReferenceById } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { composeEventHandlers, cx } from '../../hooks/cx';
import { ItemContext, useReferenceTrayContext, type ReferenceTrayContextValue } from './context';
import { KEY_DELTA, REFERENCE_DRAG_TYPE, hasType } from './dom';
import { ReferenceTrayItemMeta, ReferenceTrayItemThumb, ReferenceTrayRemove } from './ReferenceTrayItemParts';
import { ReferenceTrayItemMask } from './ReferenceTrayMask';

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayItem
 * -----------------------------------------------------------------------------------------------*/

export interface ReferenceTrayItemProps extends React.ComponentPropsWithoutRef<'li'> {
  /** The `id` of the reference in the store. */
  referenceId: string;
}

/**
 * One reference: thumbnail, name, state, upload progress, error with Retry, and Remove. Focusable;
 * Alt+Arrow keys move it (focus follows), and it can be dragged onto another item. Children replace
 * the default content (the parts inside, such as `ReferenceTrayRemove`, act on this reference).
 * @selector [data-state="checking" | "uploading" | "ready" | "error"]
 * @selector [data-downscaled] when the image was shrunk to fit the model's size limit
 * @selector [data-dragging] while it is being dragged; [data-drop-target] while another item is over it
 */
export const ReferenceTrayItem = /* @__PURE__ */ React.memo(
  /* @__PURE__ */ React.forwardRef<HTMLLIElement, ReferenceTrayItemProps>(function ReferenceTrayItem(props, ref) {
    const { referenceId, className, children, onKeyDown, onDragStart, onDragEnd, onDragOver, onDragLeave, onDrop, ...rest } = props;
    const ctx = useReferenceTrayContext('ReferenceTrayItem');
    const select = React.useMemo(() => selectReferenceById(referenceId), [referenceId]);
    const reference = useGenerator(select);
    const { dragging, dropTarget, handlers } = useItemMoves(ctx, referenceId, reference?.name ?? '', {
      onKeyDown,
      onDragStart,
      onDragEnd,
      onDragOver,
      onDragLeave,
      onDrop,
    });
    if (!reference) return null;
    const { disabled } = ctx;

    return (
      <ItemContext.Provider value={referenceId}>
        <li
          data-state={reference.state}
          data-reference-id={referenceId}
          data-downscaled={reference.downscaled ? '' : undefined}
          data-dragging={dragging ? '' : undefined}
          data-drop-target={dropTarget ? '' : undefined}
          data-disabled={disabled ? '' : undefined}
          tabIndex={0}
          aria-describedby={ctx.hintId}
          draggable={!disabled}
          {...rest}
          className={cx('gen-ReferenceTray-item', className)}
          ref={ref}
          {...handlers}
        >
          {children ?? (
            <>
              <ReferenceTrayItemThumb reference={reference} />
              <ReferenceTrayItemMeta reference={reference} />
              <ReferenceTrayItemMask reference={reference} />
              <ReferenceTrayRemove />
            </>
          )}
        </li>
      </ItemContext.Provider>
    );
  }),
);

type MoveHandlers = Pick<
  React.ComponentPropsWithoutRef<'li'>,
  'onKeyDown' | 'onDragStart' | 'onDragEnd' | 'onDragOver' | 'onDragLeave' | 'onDrop'
>;

/** Alt+Arrow keys and drag-and-drop between items reorder the references; the host's handlers run first. */
function useItemMoves(ctx: ReferenceTrayContextValue, referenceId: string, name: string, host: MoveHandlers) {
  const store = useGeneratorStore();
  const labels = useLabels();
  const [dragging, setDragging] = React.useState(false);
  const [dropTarget, setDropTarget] = React.useState(false);
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

  const handlers: MoveHandlers = {
    onKeyDown: composeEventHandlers(host.onKeyDown, (event) => {
      if (disabled || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const delta = KEY_DELTA[event.key];
      if (delta === undefined) return;
      event.preventDefault();
      move(delta);
    }),
    onDragStart: composeEventHandlers(host.onDragStart, (event) => {
      if (disabled) return;
      event.dataTransfer.setData(REFERENCE_DRAG_TYPE, referenceId);
      event.dataTransfer.effectAllowed = 'move';
      setDragging(true);
    }),
    onDragEnd: composeEventHandlers(host.onDragEnd, () => setDragging(false)),
    onDragOver: composeEventHandlers(host.onDragOver, (event) => {
      if (disabled || !hasType(event.dataTransfer, REFERENCE_DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      if (!dragging) setDropTarget(true);
    }),
    onDragLeave: composeEventHandlers(host.onDragLeave, (event) => {
      if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
      setDropTarget(false);
    }),
    onDrop: composeEventHandlers(host.onDrop, (event) => {
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
    }),
  };
  return { dragging, dropTarget, handlers };
}
