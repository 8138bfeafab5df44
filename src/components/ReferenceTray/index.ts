// Every part long (`ReferenceTrayRemove`) and as a static member of the component (`ReferenceTray.Remove`).
export { ReferenceTray, type ReferenceTrayProps } from './ReferenceTray';
export { ReferenceTrayRoot, type ReferenceTrayRootProps } from './ReferenceTrayRoot';
export {
  ReferenceTrayDropzone,
  ReferenceTrayCount,
  type ReferenceTrayDropzoneProps,
  type ReferenceTrayCountProps,
} from './ReferenceTrayDropzone';
export { ReferenceTrayNotices, type ReferenceTrayNoticesProps } from './ReferenceTrayNotices';
export { ReferenceTrayList, type ReferenceTrayListProps } from './ReferenceTrayList';
export { ReferenceTrayItem, type ReferenceTrayItemProps } from './ReferenceTrayItem';
export { ReferenceTrayRemove, type ReferenceTrayRemoveProps } from './ReferenceTrayItemParts';
