// What src/components/ReferenceTray/lazy.ts loads on demand: one reference item and its parts.
export { ReferenceTrayItem } from './ReferenceTrayItem';
export { ReferenceTrayRemove } from './ReferenceTrayItemParts';
