export {
  ReferenceTray,
  ReferenceTrayRoot,
  ReferenceTrayDropzone,
  ReferenceTrayCount,
  ReferenceTrayNotices,
  ReferenceTrayList,
  ReferenceTrayItem,
} from './ReferenceTray';
export type {
  ReferenceTrayProps,
  ReferenceTrayRootProps,
  ReferenceTrayDropzoneProps,
  ReferenceTrayCountProps,
  ReferenceTrayNoticesProps,
  ReferenceTrayListProps,
  ReferenceTrayItemProps,
} from './ReferenceTray';
