/** Simplified Chinese (zh-CN) labels. Pass to `GeneratorProvider labels={zh}`. */
import { expiryParts, type Labels } from './en';
import { zhMessages } from './messages/zh';

const num = (n: number) => n.toLocaleString('zh-CN');

export const zh: Labels = {
  prompt: '提示词',
  promptPlaceholder: '描述你想生成的图片…',
  generate: '生成',
  waitingForUploads: (n) => `正在等待 ${num(n)} 张参考图上传完成…`,
  submitting: '正在发送…',
  resolution: '分辨率',
  imageCount: '图片数量',
  characterCount: (n, max) => (max ? `${num(n)} / ${num(max)}` : `${num(n)} 个字符`),
  submitShortcut: (isMac) => (isMac ? '按 ⌘ Enter 生成' : '按 Ctrl+Enter 生成'),
  estimatedPrice: (usd) => `约 $${usd.toFixed(3)}`,
  promptTooLong: (n, max) => `提示词超出 ${num(n - max)} 个字符（该模型上限为 ${num(max)} 个字符），请精简后再生成。`,
  advancedOptions: '高级选项',
  parameterLabels: {
    google_search: 'Google 网页搜索',
    google_image_search: 'Google 图片搜索',
    orientation: '方向',
    quality: '质量',
    output_format: '输出格式',
    output_compression: 'JPEG 压缩率',
    safety_tolerance: '安全容忍度',
    prompt_upsampling: '提示词增强',
    watermark: '水印',
    layer_decomposition: '拆分图层',
    seed: '随机种子',
    temperature: '温度',
    topP: 'Top-p',
    maxOutputTokens: '最大输出 token 数',
    personGeneration: '人物生成',
    sequential_image_generation: '组图生成',
  },
  parameterValues: {
    landscape: '横向',
    portrait: '纵向',
    low: '低',
    medium: '中',
    high: '高',
    png: 'PNG',
    jpeg: 'JPEG',
    jpg: 'JPG',
    ALLOW_ALL: '允许所有人物',
    ALLOW_ADULT: '仅限成人',
    ALLOW_NONE: '不生成人物',
    disabled: '关闭',
    auto: '自动',
  },
  parameterDefault: (value) => (value ? `默认（${value}）` : '默认'),
  parameterRange: (min, max) => `${num(min)}–${num(max)}`,
  parameterRequires: (label, value) => (value ? `需先将“${label}”设为 ${value}` : `需先开启“${label}”`),
  resetParameters: '恢复默认选项',

  aspectRatio: '宽高比',
  aspectRatioOption: (ratio, size) => (size ? `${ratio} · ${size[0]}×${size[1]}` : ratio),
  aspectRatioName: (ratio) => (ratio === 'auto' ? '自动' : ratio === 'match_input_image' ? '匹配输入' : ratio),
  aspectRatioDescriptions: {
    '1:1': '方形',
    '16:9': '宽屏',
    '9:16': '竖屏视频',
    '4:3': '经典',
    '3:4': '竖版',
    '3:2': '照片',
    '2:3': '竖版照片',
    '21:9': '电影宽银幕',
    '4:1': '横幅',
    '8:1': '超宽横幅',
    '1:4': '长竖图',
    '1:8': '超长竖图',
    '5:4': '印刷',
    '4:5': '社交媒体竖图',
    '2:1': '全景',
    '1:2': '竖向全景',
    '9:21': '竖版宽银幕',
    auto: '由模型决定',
    match_input_image: '与参考图一致',
  },

  addReferences: '添加参考图',
  referenceList: '参考图',
  referenceCount: (n, max) => `${n} / ${max}`,
  dropHint: '将图片拖放到此处，或直接粘贴',
  chooseFiles: '选择文件',
  dropHere: '松开即可添加',
  removeReference: (name) => `移除 ${name}`,
  moveReferenceEarlier: (name) => `将 ${name} 前移`,
  moveReferenceLater: (name) => `将 ${name} 后移`,
  referenceMoved: (name, pos, total) => `${name} 已移至第 ${pos} 位（共 ${total} 张）`,
  referenceAdded: (n) => `已添加 ${num(n)} 张参考图`,
  referenceRemoved: (name) => `已移除 ${name}`,
  referenceState: { checking: '检查中…', uploading: '上传中…', ready: '就绪', error: '上传失败' },
  retryUpload: (name) => `重新上传 ${name}`,
  uploadProgress: (name) => `正在上传 ${name}`,
  referenceDownscaled: '已自动缩小以符合大小限制',
  dismissNotice: '关闭',
  referenceReorderHint: '使用 Alt+方向键调整顺序',

  taskList: '生成记录',
  phase: {
    idle: '就绪',
    submitting: '正在发送请求…',
    queued: '排队中',
    generating: '生成中',
    completed: '已完成',
    failed: '失败',
    cancelled: '已取消',
  },
  progressLabel: '生成进度',
  progressValueText: (p, phase) => (p === null ? (phase === 'queued' ? '正在排队等候' : '处理中') : `${p}%`),
  cancel: '取消',
  retry: '重试',
  dismissTask: '关闭此生成记录',
  resultAlt: (prompt, i, total) => `生成的图片（第 ${i} 张，共 ${total} 张）：${prompt}`,
  openImage: '打开',
  downloadImage: '下载',
  useAsReference: '用作参考图',
  usedAsReference: '已添加到参考图',
  retrying: (kind, s) =>
    kind === 'rate_limit' ? `服务器已限流，将在 ${s} 秒后重试。` : `连接出现问题，将在 ${s} 秒后重试。`,
  noTasks: '生成的图片将显示在这里。',
  revisedPrompt: '优化后的提示词',
  openImageAt: (i, total) => (total > 1 ? `打开第 ${i} 张图片` : '打开'),
  downloadImageAt: (i, total) => (total > 1 ? `下载第 ${i} 张图片` : '下载'),
  downloading: '正在下载…',
  downloadOpened: '无法直接下载，图片已在新标签页中打开，请在那里保存。',
  downloadFailed: '无法下载图片。请点击“打开”，然后在新页面中保存。',
  expiresIn: (ms) => {
    const { hours, minutes } = expiryParts(ms);
    return hours > 0 ? `${num(hours)} 小时后过期` : `${num(minutes)} 分钟后过期`;
  },
  expired: '此图片已过期（生成结果仅保留 24 小时）。请重新生成以获取新图片。',
  useAsReferenceAt: (i, total) => (total > 1 ? `用作参考图：第 ${i} 张图片` : '用作参考图'),
  resultName: (i) => `结果 ${i}`,
  taskMeta: (ratio, resolution, n) => [ratio, resolution, n > 1 ? `${num(n)} 张` : undefined].filter(Boolean).join(' · '),
  phaseAnnouncement: (phase, count) => {
    switch (phase) {
      case 'queued':
        return '正在队列中等待。';
      case 'generating':
        return '已开始生成图片。';
      case 'completed':
        return count > 1 ? `${num(count)} 张图片已生成。` : '图片已生成。';
      case 'cancelled':
        return '已停止生成。';
      case 'idle':
      case 'submitting':
      case 'failed': // the error itself is announced by its role="alert"
        return '';
      default:
        return phase satisfies never;
    }
  },

  messages: zhMessages,

  errors: {
    invalid_request: '请求未被接受。请检查设置后重试。',
    authentication: '后端拒绝了凭据。请检查服务器上配置的 API 密钥。',
    quota: '账户余额不足。请充值后重试。',
    not_found: '服务器上找不到该任务。',
    content_policy: '请求因违反内容政策被拦截。请修改提示词或参考图后重试。',
    rate_limit: '当前请求过多。请稍候再试。',
    server: '图片服务出现问题。请稍后重试。',
    network: '无法连接到图片服务。请检查网络连接后重试。',
    protocol: '服务器返回了无法识别的响应。',
    task_failed: '图片生成失败。',
    timeout: '图片生成耗时较长。可点击“重试”继续等待。',
    aborted: '请求已取消。',
  },
  serverSaid: (m) => `服务器返回：${m}`,
  taskIdText: (id) => `任务 ${id}`,
  copyDetails: '复制详情',
  detailsCopied: '详情已复制',
  copyFailed: '无法复制，请手动选择任务 ID',
  errorHints: {
    wrong_endpoint: '服务无法识别请求类型：后端可能调用了错误的接口或基础地址（请检查 TOAPIS_BASE_URL，例如 https://toapis.com，不要带 /v1）。',
    billed_failure: '服务已创建此任务，可能已经扣费。如需联系客服，请提供任务 ID 和复制的详情。',
  },
  componentCrashed: '生成器的这一部分已停止工作。你的提示词和图片仍然保留。',
  tryAgain: '再试一次',

  /* ---- presets (issue 14) */
  preset: '预设',
  presetPlaceholder: '选择预设',
  hostPresetsGroup: '预设',
  userPresetsGroup: '我的预设',
  savePreset: '保存预设',
  deletePreset: '删除预设',
  presetName: '预设名称',
  presetIncludePrompt: '包含提示词',
  presetSave: '保存',
  presetCancel: '取消',
  exportPresets: '导出预设',
  importPresets: '导入预设',
  presetApplied: (name) => `已应用预设“${name}”`,
  presetSaved: (name) => `已保存预设“${name}”`,
  presetDeleted: (name) => `已删除预设“${name}”`,
  presetsImported: (n) => `已导入 ${num(n)} 个预设`,
};
