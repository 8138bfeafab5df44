'use client';
import * as React from 'react';
import { formatMessage } from '../../labels/format';
import { selectNotices } from '../../store/selectors';
import { useGenerator, useGeneratorStore, useLabels } from '../../hooks/useGenerator';
import { cx } from '../../hooks/cx';
import { useReferenceTrayContext } from './context';
import { useComposedRef } from './dom';

/* -------------------------------------------------------------------------------------------------
 * ReferenceTrayNotices
 * -----------------------------------------------------------------------------------------------*/

export type ReferenceTrayNoticesProps = React.ComponentPropsWithoutRef<'div'>;

/**
 * Files the store refused (too many, not an image, duplicate…), in one `role="alert"` region that is
 * always present so additions are announced. Each notice has a Dismiss button.
 * @selector [data-state="empty" | "filled"]
 */
export const ReferenceTrayNotices = /* @__PURE__ */ React.forwardRef<HTMLDivElement, ReferenceTrayNoticesProps>(
  function ReferenceTrayNotices({ className, ...rest }, ref) {
    const ctx = useReferenceTrayContext('ReferenceTrayNotices');
    const store = useGeneratorStore();
    const labels = useLabels();
    const notices = useGenerator(selectNotices);
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
              {formatMessage(labels, { ...notice, field: 'reference', params: { name: notice.fileName, ...notice.params } })}
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
