'use client';
import * as React from 'react';
import { selectReferenceIds } from '../../store/selectors';
import { useGeneratorShallow, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { useReferenceTrayContext } from './context';
import { LazyReferenceTrayItem } from './lazy';

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayList
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayListProps = React.ComponentPropsWithoutRef<'ul'>;

/**
 * The references, in the order they are sent, as a list named "Reference images". Without
 * children it renders one `ReferenceTrayItem` per reference (its code loads with the first one). It reads only the ids, so an upload
 * finishing re-renders that one item.
 * @selector [data-state="empty" | "filled"]
 */
export const ReferenceTrayList = /* @__PURE__ */ React.forwardRef<HTMLUListElement, ReferenceTrayListProps>(
  function ReferenceTrayList({ className, children, ...rest }, ref) {
    useReferenceTrayContext('ReferenceTrayList');
    const labels = useLabels();
    const ids = useGeneratorShallow(selectReferenceIds);
    return (
      <ul
        aria-label={labels.referenceList}
        data-state={ids.length ? 'filled' : 'empty'}
        {...rest}
        className={cx('gen-ReferenceTray-list', className)}
        ref={ref}
      >
        {children ?? ids.map((id) => <LazyReferenceTrayItem key={id} referenceId={id} />)}
      </ul>
    );
  },
);
