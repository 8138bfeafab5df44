export { AspectRatioPicker, AspectRatioPickerShape } from './AspectRatioPicker';
export type { AspectRatioPickerProps, AspectRatioPickerShapeProps } from './AspectRatioPicker';
