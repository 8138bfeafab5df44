'use client';
import * as React from 'react';
import { GeneratorErrorBoundary } from '../ErrorBoundary/ErrorBoundary';
import { ReferenceTrayRoot, type ReferenceTrayRootProps } from './ReferenceTrayRoot';
import { ReferenceTrayCount, ReferenceTrayDropzone } from './ReferenceTrayDropzone';
import { ReferenceTrayNotices } from './ReferenceTrayNotices';
import { ReferenceTrayList } from './ReferenceTrayList';
import { LazyReferenceTrayItem, LazyReferenceTrayRemove } from './lazy';

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

/**
 * `ReferenceTray` plus its parts as static members (`ReferenceTray.List`, `ReferenceTray.Remove`, …);
 * `.Item` and `.Remove` load on demand with the first reference (./lazy.ts).
 */
export const ReferenceTray = /* @__PURE__ */ Object.assign(ReferenceTrayBase, {
  Root: ReferenceTrayRoot,
  Dropzone: ReferenceTrayDropzone,
  Count: ReferenceTrayCount,
  Notices: ReferenceTrayNotices,
  List: ReferenceTrayList,
  Item: LazyReferenceTrayItem,
  Remove: LazyReferenceTrayRemove,
});
