/** Chinese (Simplified) texts of the messages core reports as codes (src/core/messages.ts). */
import type { MessageCode } from '../../core/messages';
import { bytes, param, type MessageText } from './shared';

const v = (value: string | number | undefined) => param(value, 'zh-CN');
const file = (name: string | number | undefined) => (name ? `“${name}”` : '该文件');
const TYPES: Partial<Record<string, string>> = { boolean: ' true 或 false', integer: '整数', number: '数字' };

export const zhMessages: Record<MessageCode, MessageText> = {
  'model.required': () => '请选择模型。',
  'prompt.required': () => '请输入提示词。',
  'prompt.too_long': (p) => `提示词共 ${v(p.length)} 个字符，此模型最多接受 ${v(p.max)} 个字符。`,
  'aspectRatio.unsupported': (p) =>
    p.minReferences ? `${v(p.ratio)} 宽高比需要至少一张参考图。` : `${v(p.model)} 不支持 ${v(p.ratio)} 宽高比。`,
  'resolution.unsupported': (p) => {
    if (p.ratios) return `${v(p.model)} 仅在 ${v(p.ratios)} 宽高比下支持 ${v(p.resolution)} 分辨率。`;
    if (p.allowed) return `${v(p.model)} 不支持 ${v(p.resolution)} 分辨率，请选择 ${v(p.allowed)}。`;
    return `${v(p.model)} 没有分辨率设置。`;
  },
  'n.out_of_range': (p) => {
    if (p.max === 1) return `${v(p.model)} 每次请求只生成一张图片。`;
    if (p.allowed) return `${v(p.model)} 每次请求可生成的张数为 ${v(p.allowed)} 之一。`;
    return `${v(p.model)} 每次请求可生成 ${v(p.min)} 到 ${v(p.max)} 张图片。`;
  },
  'references.too_many': (p) => {
    if (p.n !== undefined) {
      return `${v(p.model)} 的参考图与输出图合计最多 ${v(p.max)} 张；${v(p.count)} 张参考图加 ${v(p.n)} 张输出图共 ${v(p.total)} 张。`;
    }
    if (p.max === 0) return `${p.model ? v(p.model) : '此模型'} 不接受参考图。`;
    return `参考图最多 ${v(p.max)} 张${p.count !== undefined ? `，当前有 ${v(p.count)} 张` : ''}。`;
  },
  'references.invalid_url': (p) =>
    p.index !== undefined
      ? `第 ${v(p.index)} 张参考图不是 http(s) 地址，请先上传。`
      : '有参考图上传失败或已过期，请重试或移除。',
  'parameters.unsupported': (p) =>
    p.values
      ? `“${v(p.parameter)}”必须是 ${v(p.values)} 之一；“${v(p.value)}”不在其中。`
      : `${v(p.model)} 不支持参数“${v(p.parameter)}”。`,
  'parameters.invalid_type': (p) =>
    p.values ? `“${v(p.parameter)}”必须是 ${v(p.values)} 之一。` : `“${v(p.parameter)}”必须是${TYPES[v(p.type)] ?? '数字'}。`,
  'parameters.out_of_range': (p) => `“${v(p.parameter)}”必须在 ${v(p.min)} 到 ${v(p.max)} 之间，当前为 ${v(p.value)}。`,
  'parameters.requires': (p) => `使用“${v(p.parameter)}”需要将“${v(p.requires)}”设为 ${v(p.value)}。`,
  'reference.empty': (p) => `${file(p.name)}是空文件。`,
  'reference.not_image': (p) => `${file(p.name)}不是图片。`,
  'reference.unsupported_format': (p) =>
    p.format
      ? `${file(p.name)}是 ${v(p.format)} 图片，无法使用；请使用 ${v(p.formats)} 格式。`
      : `${file(p.name)}不是受支持的图片格式；请使用 ${v(p.formats)} 格式。`,
  'reference.too_large': (p) => {
    const limit = p.max !== undefined ? `，上限为 ${bytes(p.max)}` : '';
    return p.size !== undefined ? `${file(p.name)}大小为 ${bytes(p.size)}${limit}。` : `${file(p.name)}太大${limit}。`;
  },
  'reference.too_many': (p) => `${file(p.name)}未添加：${p.max !== undefined ? `参考图最多 ${v(p.max)} 张。` : '参考图数量已达上限。'}`,
  'reference.duplicate': (p) => `${file(p.name)}已经添加过了。`,
  'reference.corrupt': (p) => `${file(p.name)}已损坏或不完整，无法使用。`,
  'reference.unreadable': (p) => `无法读取${file(p.name)}。`,
  'reference.expired': (p) => `${file(p.name)}已过期（生成结果保留 24 小时），请重新生成后再用作参考图。`,
  'reference.unrestorable': (p) => `无法恢复已保存的生成任务${p.prompt ? `（“${v(p.prompt).slice(0, 60)}”）` : ''}，因此没有再次发送。`,
  /* ---- presets (issue 14) */
  'preset.name_required': () => '请输入预设名称。',
  'preset.name_too_long': (p) => `预设名称共 ${v(p.length)} 个字符，最多允许 ${v(p.max)} 个字符。`,
  'preset.name_reserved': (p) =>
    p.index !== undefined
      ? `文件中的第 ${v(p.index)} 个预设名为“${v(p.name)}”，与本站的预设重名；未导入任何预设。`
      : `“${v(p.name)}”是本站的预设，不能覆盖；请换一个名称。`,
  'preset.too_many': (p) =>
    p.count !== undefined
      ? `导入后将有 ${v(p.count)} 个预设，最多只能保存 ${v(p.max)} 个；未导入任何预设。`
      : `最多只能保存 ${v(p.max)} 个预设，请先删除一个。`,
  'preset.invalid_json': () => '该文件不是有效的 JSON；未导入任何预设。',
  'preset.wrong_shape': (p) =>
    p.version !== undefined
      ? `该文件中的预设版本为 ${v(p.version)}，本组件无法读取；未导入任何预设。`
      : '该文件不是预设文件（应包含 { "v": 1, "presets": [...] }）；未导入任何预设。',
  'preset.invalid_entry': (p) =>
    `文件中的第 ${v(p.index)} 个预设${p.name ? `（“${v(p.name)}”）` : ''}${p.field ? `的“${v(p.field)}”` : '中有'}无效值；未导入任何预设。`,
  'preset.file_too_large': (p) => `该文件大小为 ${bytes(p.size)}，预设文件最大为 ${bytes(p.max)}；未导入任何预设。`,
  /* ---- mask (issue 15) */
  'mask.upload_failed': () => '蒙版上传失败。请在蒙版编辑器中重新应用，或移除蒙版。',
  'mask.size_mismatch': (p) =>
    `蒙版为 ${v(p.width)}×${v(p.height)} 像素，而第一张参考图为 ${v(p.referenceWidth)}×${v(p.referenceHeight)} 像素；请重新编辑蒙版。`,
  'reference.mask_too_large': (p) => `蒙版大小为 ${bytes(p.size)}，此模型的蒙版最大为 ${bytes(p.max)}；未应用该蒙版。`,
  'reference.mask_aside_model': (p) => `${p.model ? v(p.model) : '此模型'}不支持蒙版；蒙版已暂存，切换回支持蒙版的模型后会重新启用。`,
  'reference.mask_aside_reference': () => '第一张参考图已不是绘制蒙版时的图片；如需使用，请重新编辑蒙版。',
  'generator.load_failed': () => '无法加载生成器的部分内容（请检查网络连接）。尚未发送任何请求，请再次点击“生成”。',
};
