export { MaskEditor, type MaskEditorProps } from './MaskEditor';
export { setMaskExporter, type MaskExporter, type MaskFileInput, type MaskFiles } from './exporter';
export { preloadMaskEditor } from './lazy';
