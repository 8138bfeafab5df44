export { PresetPicker, type PresetPickerProps } from './PresetPicker';
