/** Korean (ko) labels. Pass to `GeneratorProvider labels={ko}`. */
import { expiryParts, type Labels } from './en';
import { koMessages } from './messages/ko';

const num = (n: number) => n.toLocaleString('ko-KR');

export const ko: Labels = {
  prompt: '프롬프트',
  promptPlaceholder: '원하는 이미지를 설명해 주세요…',
  generate: '생성',
  waitingForUploads: (n) => `참조 이미지 ${num(n)}개의 업로드가 끝나기를 기다리는 중…`,
  submitting: '전송 중…',
  resolution: '해상도',
  imageCount: '이미지 수',
  characterCount: (n, max) => (max ? `${num(n)} / ${num(max)}` : `${num(n)}자`),
  submitShortcut: (isMac) => (isMac ? '⌘ Enter로 생성' : 'Ctrl+Enter로 생성'),
  estimatedPrice: (usd) => `약 $${usd.toFixed(3)}`,
  promptTooLong: (n, max) =>
    `이 모델의 최대 글자 수(${num(max)}자)를 ${num(n - max)}자 초과했습니다. 생성하려면 프롬프트를 줄여 주세요.`,
  advancedOptions: '고급 옵션',
  parameterLabels: {
    google_search: 'Google 웹 검색',
    google_image_search: 'Google 이미지 검색',
    orientation: '방향',
    quality: '품질',
    output_format: '출력 형식',
    output_compression: 'JPEG 압축률',
    safety_tolerance: '안전 필터 허용 수준',
    prompt_upsampling: '프롬프트 자동 보강',
    watermark: '워터마크',
    layer_decomposition: '레이어로 분리',
    seed: '시드',
    temperature: '온도',
    topP: 'Top-p',
    maxOutputTokens: '최대 출력 토큰 수',
    personGeneration: '인물 생성',
    sequential_image_generation: '연작 생성',
  },
  parameterValues: {
    landscape: '가로',
    portrait: '세로',
    low: '낮음',
    medium: '보통',
    high: '높음',
    png: 'PNG',
    jpeg: 'JPEG',
    jpg: 'JPG',
    ALLOW_ALL: '모두 허용',
    ALLOW_ADULT: '성인만',
    ALLOW_NONE: '인물 없음',
    disabled: '끄기',
    auto: '자동',
  },
  parameterDefault: (value) => (value ? `기본값 (${value})` : '기본값'),
  parameterRange: (min, max) => `${num(min)}~${num(max)}`,
  parameterRequires: (label, value) => (value ? `'${label}'을(를) ${value}(으)로 설정하면 사용할 수 있습니다` : `'${label}'을(를) 켜면 사용할 수 있습니다`),
  resetParameters: '옵션 기본값으로 재설정',

  aspectRatio: '화면 비율',
  aspectRatioOption: (ratio, size) => (size ? `${ratio} · ${size[0]}×${size[1]}` : ratio),
  aspectRatioName: (ratio) => (ratio === 'auto' ? '자동' : ratio === 'match_input_image' ? '입력과 동일' : ratio),
  aspectRatioDescriptions: {
    '1:1': '정사각형',
    '16:9': '와이드스크린',
    '9:16': '세로 동영상',
    '4:3': '클래식',
    '3:4': '세로형',
    '3:2': '사진',
    '2:3': '세로 사진',
    '21:9': '시네마',
    '4:1': '배너',
    '8:1': '와이드 배너',
    '1:4': '긴 세로형',
    '1:8': '아주 긴 세로형',
    '5:4': '인쇄용',
    '4:5': 'SNS 세로형',
    '2:1': '파노라마',
    '1:2': '세로 파노라마',
    '9:21': '세로 시네마',
    auto: '모델이 자동 선택',
    match_input_image: '참조 이미지와 동일',
  },

  addReferences: '참조 이미지 추가',
  referenceList: '참조 이미지',
  referenceCount: (n, max) => `${n} / ${max}`,
  dropHint: '이미지를 여기에 끌어다 놓거나 붙여 넣으세요',
  chooseFiles: '파일 선택',
  dropHere: '놓아서 추가',
  removeReference: (name) => `${name} 제거`,
  moveReferenceEarlier: (name) => `${name} 앞으로 이동`,
  moveReferenceLater: (name) => `${name} 뒤로 이동`,
  referenceMoved: (name, pos, total) => `${name}을(를) ${total}개 중 ${pos}번째로 옮겼습니다`,
  referenceAdded: (n) => `참조 이미지 ${num(n)}개를 추가했습니다`,
  referenceRemoved: (name) => `${name}을(를) 제거했습니다`,
  referenceState: { checking: '확인 중…', uploading: '업로드 중…', ready: '준비됨', error: '업로드 실패' },
  retryUpload: (name) => `${name} 업로드 다시 시도`,
  uploadProgress: (name) => `${name} 업로드 중`,
  referenceDownscaled: '크기 제한에 맞게 축소됨',
  dismissNotice: '닫기',
  referenceReorderHint: 'Alt+화살표 키로 순서 변경',

  taskList: '생성 기록',
  phase: {
    idle: '준비됨',
    submitting: '요청 보내는 중…',
    queued: '대기 중',
    generating: '생성 중',
    completed: '완료',
    failed: '실패',
    cancelled: '취소됨',
  },
  progressLabel: '생성 진행률',
  progressValueText: (p, phase) => (p === null ? (phase === 'queued' ? '대기열에서 기다리는 중' : '처리 중') : `${p}%`),
  cancel: '취소',
  retry: '다시 시도',
  dismissTask: '생성 항목 닫기',
  resultAlt: (prompt, i, total) => `생성된 이미지 ${i}/${total}: ${prompt}`,
  openImage: '열기',
  downloadImage: '다운로드',
  useAsReference: '참조로 사용',
  usedAsReference: '참조 이미지에 추가됨',
  retrying: (kind, s) =>
    kind === 'rate_limit'
      ? `서버 요청 한도에 도달했습니다. ${s}초 후 다시 시도합니다.`
      : `연결에 문제가 있습니다. ${s}초 후 다시 시도합니다.`,
  noTasks: '생성한 이미지가 여기에 표시됩니다.',
  revisedPrompt: '수정된 프롬프트',
  openImageAt: (i, total) => (total > 1 ? `이미지 ${i} 열기` : '열기'),
  downloadImageAt: (i, total) => (total > 1 ? `이미지 ${i} 다운로드` : '다운로드'),
  downloading: '다운로드 중…',
  downloadOpened: '다운로드하지 못해 이미지를 새 탭에서 열었습니다. 그 탭에서 저장하세요.',
  downloadFailed: '이미지를 다운로드하지 못했습니다. "열기"로 이미지를 연 뒤 저장하세요.',
  expiresIn: (ms) => {
    const { hours, minutes } = expiryParts(ms);
    return hours > 0 ? `${num(hours)}시간 후 만료` : `${num(minutes)}분 후 만료`;
  },
  expired: '이 이미지는 만료되었습니다(생성 결과는 24시간 동안 보관됩니다). 새 이미지가 필요하면 다시 생성하세요.',
  useAsReferenceAt: (i, total) => (total > 1 ? `참조로 사용: 이미지 ${i}` : '참조로 사용'),
  resultName: (i) => `결과 ${i}`,
  taskMeta: (ratio, resolution, n) =>
    [ratio, resolution, n > 1 ? `이미지 ${num(n)}개` : undefined].filter(Boolean).join(' · '),
  phaseAnnouncement: (phase, count) => {
    switch (phase) {
      case 'queued':
        return '대기열에서 순서를 기다리고 있습니다.';
      case 'generating':
        return '이미지 생성을 시작했습니다.';
      case 'completed':
        return count > 1 ? `이미지 ${num(count)}개가 준비되었습니다.` : '이미지가 준비되었습니다.';
      case 'cancelled':
        return '생성을 중단했습니다.';
      case 'idle':
      case 'submitting':
      case 'failed': // the error itself is announced by its role="alert"
        return '';
      default:
        return phase satisfies never;
    }
  },

  messages: koMessages,

  errors: {
    invalid_request: '요청을 처리할 수 없습니다. 설정을 확인한 후 다시 시도하세요.',
    authentication: '백엔드에서 인증 정보를 거부했습니다. 서버에 설정된 API 키를 확인하세요.',
    quota: '계정 크레딧이 모두 소진되었습니다. 잔액을 충전한 후 다시 시도하세요.',
    not_found: '서버에서 작업을 찾을 수 없습니다.',
    content_policy: '콘텐츠 정책에 따라 요청이 차단되었습니다. 프롬프트나 참조 이미지를 변경한 후 다시 시도하세요.',
    rate_limit: '현재 요청이 너무 많습니다. 잠시 후 다시 시도하세요.',
    server: '이미지 서비스에 문제가 발생했습니다. 잠시 후 다시 시도하세요.',
    network: '이미지 서비스에 연결할 수 없습니다. 네트워크 연결을 확인한 후 다시 시도하세요.',
    protocol: '서버에서 해석할 수 없는 응답을 보냈습니다.',
    task_failed: '이미지를 생성하지 못했습니다.',
    timeout: '이미지 생성이 오래 걸리고 있습니다. ‘다시 시도’를 눌러 계속 기다릴 수 있습니다.',
    aborted: '요청이 취소되었습니다.',
  },
  serverSaid: (m) => `서버 메시지: ${m}`,
  taskIdText: (id) => `작업 ${id}`,
  copyDetails: '세부 정보 복사',
  detailsCopied: '세부 정보를 복사했습니다',
  copyFailed: '복사하지 못했습니다. 작업 ID를 직접 선택하세요',
  errorHints: {
    wrong_endpoint: '서비스가 요청 유형을 인식하지 못했습니다. 백엔드가 잘못된 엔드포인트나 기본 URL을 호출하고 있을 수 있습니다(TOAPIS_BASE_URL을 확인하세요. 예: https://toapis.com, /v1 제외).',
    billed_failure: '서비스가 이 작업을 생성했으므로 요금이 청구되었을 수 있습니다. 고객 지원에 문의할 때 작업 ID와 복사한 세부 정보를 보내 주세요.',
  },
  componentCrashed: '생성기의 이 부분이 작동을 멈췄습니다. 프롬프트와 이미지는 그대로 보존되어 있습니다.',
  tryAgain: '다시 시도',

  /* ---- ETA and queue position (issue 14) */
  etaSeconds: (s) => `약 ${num(s)}초 남음`,
  etaMinutes: (m) => `약 ${num(m)}분 남음`,
  etaAlmostDone: '곧 완료',
  progressWithEta: (progress, eta) => `${progress} · ${eta}`,
  queuePosition: (n) => (n === 0 ? '다음 순서' : `대기열 ${num(n)}번째`),
  /* ---- Many jobs: reuse settings, more like this, cancel all, clear finished (issue 14) */
  reuseSettings: '설정 재사용',
  moreLikeThis: '비슷하게 더 만들기',
  settingsRestored: (expired) => (expired === 0 ? '설정을 복원했습니다' : `설정을 복원했습니다. 만료된 참조 이미지 ${num(expired)}개는 추가되지 않았습니다`),
  taskToolbar: '작업',
  cancelAll: '모두 취소',
  clearFinished: '완료된 항목 지우기',
  tasksCleared: (n) => `완료된 작업 ${num(n)}개를 지웠습니다`,
  undo: '실행 취소',
  /* ---- several images, compare, downloads (issue 14) */
  selectImage: (i) => `이미지 ${num(i)} 선택`,
  imagePending: (i, total) => `이미지 ${num(i)}/${num(total)}, 생성 중`,
  selectedCount: (n) => `${num(n)}개 선택됨`,
  compare: '비교',
  compareHint: '비교하려면 이미지를 정확히 두 개 선택하세요.',
  compareTitle: '이미지 비교',
  comparePosition: '비교 위치',
  sideBySide: '나란히 보기',
  close: '닫기',
  compareImageAlt: (i, prompt) => `작업의 이미지 ${num(i)}: ${prompt}`,
  downloadAll: '모두 다운로드',
  downloadSelected: '선택 항목 다운로드',
  clearSelection: '선택 해제',
  preparing: '준비 중…',
  zipFailed: (n) =>
    n === 0
      ? 'ZIP 파일을 만들지 못했습니다. 아무것도 저장되지 않았습니다. 다시 시도하세요.'
      : `이미지 ${num(n)}개를 다운로드하지 못해 아무것도 저장되지 않았습니다. 다시 시도하거나 하나씩 저장하세요.`,
  zipExpired: '이 이미지들은 만료되어 더 이상 다운로드할 수 없습니다.',
  /* ---- prompt history (issue 14) */
  promptHistory: '프롬프트 기록',
  searchPrompts: '프롬프트 검색',
  clearHistory: '기록 지우기',
  historyEmpty: '아직 프롬프트가 없습니다. 생성에 사용한 프롬프트가 여기에 표시됩니다.',
  historyNoMatch: (query) => `“${query}”이(가) 포함된 프롬프트가 없습니다.`,
  historyCleared: '프롬프트 기록을 지웠습니다.',
  /* ---- presets (issue 14) */
  preset: '프리셋',
  presetPlaceholder: '프리셋 선택',
  hostPresetsGroup: '프리셋',
  userPresetsGroup: '내 프리셋',
  savePreset: '프리셋 저장',
  deletePreset: '프리셋 삭제',
  presetName: '프리셋 이름',
  presetIncludePrompt: '프롬프트 포함',
  presetSave: '저장',
  presetCancel: '취소',
  exportPresets: '프리셋 내보내기',
  importPresets: '프리셋 가져오기',
  presetApplied: (name) => `프리셋 "${name}"을(를) 적용했습니다`,
  presetSaved: (name) => `프리셋 "${name}"을(를) 저장했습니다`,
  presetDeleted: (name) => `프리셋 "${name}"을(를) 삭제했습니다`,
  presetsImported: (n) => `프리셋 ${num(n)}개를 가져왔습니다`,
};
