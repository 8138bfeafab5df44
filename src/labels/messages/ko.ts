/** Korean texts of the messages core reports as codes (src/core/messages.ts). */
import type { MessageCode } from '../../core/messages';
import { bytes, param, type MessageText } from './shared';

const v = (value: string | number | undefined) => param(value, 'ko-KR');
const file = (name: string | number | undefined) => (name ? `'${name}'` : '파일');
const TYPES: Partial<Record<string, string>> = { boolean: 'true 또는 false', integer: '정수', number: '숫자' };

export const koMessages: Record<MessageCode, MessageText> = {
  'model.required': () => '모델을 선택하세요.',
  'prompt.required': () => '프롬프트를 입력하세요.',
  'prompt.too_long': (p) => `프롬프트가 ${v(p.length)}자입니다. 이 모델은 최대 ${v(p.max)}자까지 받습니다.`,
  'aspectRatio.unsupported': (p) =>
    p.minReferences
      ? `${v(p.ratio)} 화면 비율을 사용하려면 참조 이미지가 1개 이상 필요합니다.`
      : `${v(p.model)}은(는) ${v(p.ratio)} 화면 비율을 지원하지 않습니다.`,
  'resolution.unsupported': (p) => {
    if (p.ratios) return `${v(p.model)}의 ${v(p.resolution)} 해상도는 ${v(p.ratios)} 화면 비율에서만 사용할 수 있습니다.`;
    if (p.allowed) return `${v(p.model)}은(는) ${v(p.resolution)} 해상도를 지원하지 않습니다. ${v(p.allowed)} 중에서 선택하세요.`;
    return `${v(p.model)}에는 해상도 설정이 없습니다.`;
  },
  'n.out_of_range': (p) => {
    if (p.max === 1) return `${v(p.model)}은(는) 요청당 이미지를 1장만 생성합니다.`;
    if (p.allowed) return `${v(p.model)}은(는) 요청당 ${v(p.allowed)}장 중 하나로 생성할 수 있습니다.`;
    return `${v(p.model)}은(는) 요청당 ${v(p.min)}~${v(p.max)}장을 생성할 수 있습니다.`;
  },
  'references.too_many': (p) => {
    if (p.n !== undefined) {
      return `${v(p.model)}은(는) 참조 이미지와 출력 이미지를 합쳐 최대 ${v(p.max)}장까지 허용합니다(참조 ${v(p.count)}장 + 출력 ${v(p.n)}장 = ${v(p.total)}장).`;
    }
    if (p.max === 0) return `${p.model ? v(p.model) : '이 모델'}은(는) 참조 이미지를 사용할 수 없습니다.`;
    return `참조 이미지는 최대 ${v(p.max)}장까지 사용할 수 있습니다${p.count !== undefined ? `(현재 ${v(p.count)}장)` : ''}.`;
  },
  'references.invalid_url': (p) =>
    p.index !== undefined
      ? `참조 이미지 ${v(p.index)}은(는) http(s) URL이 아닙니다. 먼저 업로드하세요.`
      : '업로드에 실패했거나 만료된 참조 이미지가 있습니다. 다시 시도하거나 삭제하세요.',
  'parameters.unsupported': (p) =>
    p.values
      ? `'${v(p.parameter)}'은(는) ${v(p.values)} 중 하나여야 합니다('${v(p.value)}'은(는) 사용할 수 없습니다).`
      : `${v(p.model)}은(는) '${v(p.parameter)}' 매개변수를 지원하지 않습니다.`,
  'parameters.invalid_type': (p) =>
    p.values
      ? `'${v(p.parameter)}'은(는) ${v(p.values)} 중 하나여야 합니다.`
      : `'${v(p.parameter)}'은(는) ${TYPES[v(p.type)] ?? '숫자'}여야 합니다.`,
  'parameters.out_of_range': (p) => `'${v(p.parameter)}'은(는) ${v(p.min)}~${v(p.max)} 범위여야 합니다(현재 ${v(p.value)}).`,
  'parameters.requires': (p) => `'${v(p.parameter)}'을(를) 사용하려면 '${v(p.requires)}'을(를) ${v(p.value)}(으)로 설정하세요.`,
  'reference.empty': (p) => `${file(p.name)}은(는) 빈 파일입니다.`,
  'reference.not_image': (p) => `${file(p.name)}은(는) 이미지가 아닙니다.`,
  'reference.unsupported_format': (p) =>
    p.format
      ? `${file(p.name)}은(는) ${v(p.format)} 이미지라서 사용할 수 없습니다. ${v(p.formats)} 형식을 사용하세요.`
      : `${file(p.name)}은(는) 지원되지 않는 이미지 형식입니다. ${v(p.formats)} 형식을 사용하세요.`,
  'reference.too_large': (p) => {
    const limit = p.max !== undefined ? ` 최대 ${bytes(p.max)}까지 가능합니다.` : '';
    return p.size !== undefined ? `${file(p.name)}의 크기는 ${bytes(p.size)}입니다.${limit}` : `${file(p.name)}이(가) 너무 큽니다.${limit}`;
  },
  'reference.too_many': (p) =>
    `${file(p.name)}을(를) 추가하지 않았습니다. ${p.max !== undefined ? `참조 이미지는 최대 ${v(p.max)}장까지 사용할 수 있습니다.` : '참조 이미지 한도에 도달했습니다.'}`,
  'reference.duplicate': (p) => `${file(p.name)}은(는) 이미 추가되어 있습니다.`,
  'reference.corrupt': (p) => `${file(p.name)}이(가) 손상되었거나 불완전하여 사용할 수 없습니다.`,
  'reference.unreadable': (p) => `${file(p.name)}을(를) 읽을 수 없습니다.`,
  'reference.expired': (p) => `${file(p.name)}은(는) 만료되었습니다(생성 결과는 24시간 동안 보관됩니다). 참조 이미지로 사용하려면 다시 생성하세요.`,
  'reference.unrestorable': (p) => `저장된 생성 작업${p.prompt ? `("${v(p.prompt).slice(0, 60)}")` : ''}을(를) 복원할 수 없어 다시 보내지 않았습니다.`,
  /* ---- presets (issue 14) */
  'preset.name_required': () => '프리셋 이름을 입력하세요.',
  'preset.name_too_long': (p) => `프리셋 이름이 ${v(p.length)}자입니다. 최대 ${v(p.max)}자까지 가능합니다.`,
  'preset.name_reserved': (p) =>
    p.index !== undefined
      ? `파일의 ${v(p.index)}번째 프리셋 이름 "${v(p.name)}"이(가) 이 사이트의 프리셋과 같습니다. 프리셋을 가져오지 않았습니다.`
      : `"${v(p.name)}"은(는) 이 사이트의 프리셋이라 덮어쓸 수 없습니다. 다른 이름을 정하세요.`,
  'preset.too_many': (p) =>
    p.count !== undefined
      ? `가져오면 프리셋이 ${v(p.count)}개가 됩니다. 최대 ${v(p.max)}개까지 저장할 수 있습니다. 프리셋을 가져오지 않았습니다.`
      : `프리셋은 최대 ${v(p.max)}개까지 저장할 수 있습니다. 먼저 하나를 삭제하세요.`,
  'preset.invalid_json': () => '파일이 올바른 JSON이 아닙니다. 프리셋을 가져오지 않았습니다.',
  'preset.wrong_shape': (p) =>
    p.version !== undefined
      ? `이 파일의 프리셋은 버전 ${v(p.version)}(으)로, 읽을 수 없습니다. 프리셋을 가져오지 않았습니다.`
      : '프리셋 파일이 아닙니다({ "v": 1, "presets": [...] } 형식이어야 합니다). 프리셋을 가져오지 않았습니다.',
  'preset.invalid_entry': (p) =>
    `파일의 ${v(p.index)}번째 프리셋${p.name ? `("${v(p.name)}")` : ''}${p.field ? `의 "${v(p.field)}"` : ''}에 잘못된 값이 있습니다. 프리셋을 가져오지 않았습니다.`,
  'preset.file_too_large': (p) => `파일 크기가 ${bytes(p.size)}입니다. 프리셋 파일은 최대 ${bytes(p.max)}입니다. 프리셋을 가져오지 않았습니다.`,
  /* ---- mask (issue 15) */
  'mask.upload_failed': () => '마스크를 업로드하지 못했습니다. 마스크 편집기에서 다시 적용하거나 마스크를 제거하세요.',
  'mask.size_mismatch': (p) =>
    `마스크는 ${v(p.width)}×${v(p.height)}픽셀이지만 첫 번째 참조 이미지는 ${v(p.referenceWidth)}×${v(p.referenceHeight)}픽셀입니다. 마스크를 다시 편집하세요.`,
  'reference.mask_too_large': (p) => `마스크 크기가 ${bytes(p.size)}입니다. 이 모델의 마스크는 최대 ${bytes(p.max)}입니다. 마스크를 적용하지 않았습니다.`,
  'reference.mask_aside_model': (p) =>
    `${p.model ? v(p.model) : '이 모델'}은(는) 마스크를 지원하지 않아 마스크를 보류했습니다. 마스크를 지원하는 모델로 바꾸면 다시 사용됩니다.`,
  'reference.mask_aside_reference': () => '첫 번째 참조 이미지가 마스크를 그린 이미지가 아닙니다. 사용하려면 마스크를 다시 편집하세요.',
  'generator.load_failed': () => '생성기의 일부를 불러오지 못했습니다(연결을 확인하세요). 아무것도 전송되지 않았습니다. 다시 "생성"을 누르세요.',
};
