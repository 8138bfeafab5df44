/** Japanese (ja) labels. Pass to `GeneratorProvider labels={ja}`. */
import { expiryParts, type Labels } from './en';
import { jaMessages } from './messages/ja';

const num = (n: number) => n.toLocaleString('ja-JP');

export const ja: Labels = {
  prompt: 'プロンプト',
  promptPlaceholder: '生成したい画像の内容を入力…',
  generate: '生成',
  waitingForUploads: (n) => `参照画像 ${num(n)} 枚のアップロード完了を待っています…`,
  submitting: '送信中…',
  resolution: '解像度',
  imageCount: '生成枚数',
  characterCount: (n, max) => (max ? `${num(n)} / ${num(max)}` : `${num(n)} 文字`),
  submitShortcut: (isMac) => (isMac ? '⌘ Enter で生成' : 'Ctrl+Enter で生成'),
  estimatedPrice: (usd) => `約 $${usd.toFixed(3)}`,
  promptTooLong: (n, max) =>
    `このモデルの上限（${num(max)} 文字）を ${num(n - max)} 文字超えています。生成するにはプロンプトを短くしてください。`,
  advancedOptions: '詳細オプション',
  parameterLabels: {
    google_search: 'Google ウェブ検索',
    google_image_search: 'Google 画像検索',
    orientation: '向き',
    quality: '品質',
    output_format: '出力形式',
    output_compression: 'JPEG 圧縮率',
    safety_tolerance: '安全フィルターの許容度',
    prompt_upsampling: 'プロンプトの自動拡張',
    watermark: '透かし',
    layer_decomposition: 'レイヤーに分割',
    seed: 'シード値',
    temperature: '温度',
    topP: 'Top-p',
    maxOutputTokens: '最大出力トークン数',
    personGeneration: '人物の生成',
    sequential_image_generation: '連作生成',
  },
  parameterValues: {
    landscape: '横向き',
    portrait: '縦向き',
    low: '低',
    medium: '中',
    high: '高',
    png: 'PNG',
    jpeg: 'JPEG',
    jpg: 'JPG',
    ALLOW_ALL: 'すべて許可',
    ALLOW_ADULT: '成人のみ',
    ALLOW_NONE: '人物なし',
    disabled: 'オフ',
    auto: '自動',
  },
  parameterDefault: (value) => (value ? `デフォルト（${value}）` : 'デフォルト'),
  parameterRange: (min, max) => `${num(min)}〜${num(max)}`,
  parameterRequires: (label, value) => (value ? `「${label}」を ${value} にすると使えます` : `「${label}」をオンにすると使えます`),
  resetParameters: 'オプションを初期状態に戻す',

  aspectRatio: 'アスペクト比',
  aspectRatioOption: (ratio, size) => (size ? `${ratio} · ${size[0]}×${size[1]}` : ratio),
  aspectRatioName: (ratio) => (ratio === 'auto' ? '自動' : ratio === 'match_input_image' ? '入力に合わせる' : ratio),
  aspectRatioDescriptions: {
    '1:1': '正方形',
    '16:9': 'ワイド',
    '9:16': '縦型動画',
    '4:3': 'クラシック',
    '3:4': '縦向き',
    '3:2': '写真',
    '2:3': '縦向き写真',
    '21:9': 'シネマ',
    '4:1': 'バナー',
    '8:1': 'ワイドバナー',
    '1:4': '縦長',
    '1:8': '超縦長',
    '5:4': 'プリント',
    '4:5': 'SNS 縦向き',
    '2:1': 'パノラマ',
    '1:2': '縦パノラマ',
    '9:21': '縦シネマ',
    auto: 'モデルが自動選択',
    match_input_image: '参照画像と同じ',
  },

  addReferences: '参照画像を追加',
  referenceList: '参照画像',
  referenceCount: (n, max) => `${n} / ${max}`,
  dropHint: 'ここに画像をドロップするか、貼り付けてください',
  chooseFiles: 'ファイルを選択',
  dropHere: 'ドロップして追加',
  removeReference: (name) => `${name} を削除`,
  moveReferenceEarlier: (name) => `${name} を前に移動`,
  moveReferenceLater: (name) => `${name} を後ろに移動`,
  referenceMoved: (name, pos, total) => `${name} を ${pos} 番目に移動しました（全 ${total} 枚）`,
  referenceAdded: (n) => `参照画像を ${num(n)} 枚追加しました`,
  referenceRemoved: (name) => `${name} を削除しました`,
  referenceState: { checking: '確認中…', uploading: 'アップロード中…', ready: '準備完了', error: 'アップロード失敗' },
  retryUpload: (name) => `${name} のアップロードを再試行`,
  uploadProgress: (name) => `${name} をアップロード中`,
  referenceDownscaled: 'サイズ制限に合わせて縮小しました',
  dismissNotice: '閉じる',
  referenceReorderHint: 'Alt+矢印キーで並べ替え',

  taskList: '生成履歴',
  phase: {
    idle: '準備完了',
    submitting: 'リクエストを送信中…',
    queued: '順番待ち',
    generating: '生成中',
    completed: '完了',
    failed: '失敗',
    cancelled: 'キャンセル済み',
  },
  progressLabel: '生成の進捗',
  progressValueText: (p, phase) => (p === null ? (phase === 'queued' ? 'キューで待機中' : '処理中') : `${p}%`),
  cancel: 'キャンセル',
  retry: '再試行',
  dismissTask: 'この生成を閉じる',
  resultAlt: (prompt, i, total) => `生成画像 ${i} / ${total}：${prompt}`,
  openImage: '開く',
  downloadImage: 'ダウンロード',
  useAsReference: '参照画像に使う',
  usedAsReference: '参照画像に追加しました',
  retrying: (kind, s) =>
    kind === 'rate_limit'
      ? `サーバーのレート制限中です。${s} 秒後に再試行します。`
      : `接続に問題があります。${s} 秒後に再試行します。`,
  noTasks: '生成した画像はここに表示されます。',
  revisedPrompt: '調整後のプロンプト',
  openImageAt: (i, total) => (total > 1 ? `画像 ${i} を開く` : '開く'),
  downloadImageAt: (i, total) => (total > 1 ? `画像 ${i} をダウンロード` : 'ダウンロード'),
  downloading: 'ダウンロード中…',
  downloadOpened: 'ダウンロードできなかったため、画像を新しいタブで開きました。そのタブから保存してください。',
  downloadFailed: '画像をダウンロードできませんでした。「開く」で画像を開いて保存してください。',
  expiresIn: (ms) => {
    const { hours, minutes } = expiryParts(ms);
    return hours > 0 ? `あと ${num(hours)} 時間で期限切れ` : `あと ${num(minutes)} 分で期限切れ`;
  },
  expired: 'この画像は有効期限が切れました（生成結果の保存期間は 24 時間です）。新しい画像が必要な場合は、もう一度生成してください。',
  useAsReferenceAt: (i, total) => (total > 1 ? `参照画像に使う：画像 ${i}` : '参照画像に使う'),
  resultName: (i) => `結果 ${i}`,
  taskMeta: (ratio, resolution, n) => [ratio, resolution, n > 1 ? `${num(n)} 枚` : undefined].filter(Boolean).join(' · '),
  phaseAnnouncement: (phase, count) => {
    switch (phase) {
      case 'queued':
        return 'キューで順番を待っています。';
      case 'generating':
        return '画像の生成を開始しました。';
      case 'completed':
        return count > 1 ? `${num(count)} 枚の画像ができあがりました。` : '画像ができあがりました。';
      case 'cancelled':
        return '生成を中止しました。';
      case 'idle':
      case 'submitting':
      case 'failed': // the error itself is announced by its role="alert"
        return '';
      default:
        return phase satisfies never;
    }
  },

  messages: jaMessages,

  errors: {
    invalid_request: 'リクエストが受け付けられませんでした。設定を確認して、もう一度お試しください。',
    authentication: 'バックエンドが認証情報を拒否しました。サーバーに設定された API キーを確認してください。',
    quota: 'アカウントのクレジットが不足しています。残高をチャージして、もう一度お試しください。',
    not_found: 'サーバー上にタスクが見つかりませんでした。',
    content_policy:
      'コンテンツポリシーによりリクエストがブロックされました。プロンプトまたは参照画像を変更して、もう一度お試しください。',
    rate_limit: '現在リクエストが集中しています。しばらく待ってから、もう一度お試しください。',
    server: '画像サービスで問題が発生しました。しばらくしてから、もう一度お試しください。',
    network: '画像サービスに接続できませんでした。接続を確認して、もう一度お試しください。',
    protocol: 'サーバーから解釈できない応答が返されました。',
    task_failed: '画像を生成できませんでした。',
    timeout: '画像の生成に時間がかかっています。「再試行」で引き続き待機できます。',
    aborted: 'リクエストはキャンセルされました。',
  },
  serverSaid: (m) => `サーバーからのメッセージ：${m}`,
  taskIdText: (id) => `タスク ${id}`,
  copyDetails: '詳細をコピー',
  detailsCopied: '詳細をコピーしました',
  copyFailed: 'コピーできませんでした。タスク ID を選択してください',
  errorHints: {
    wrong_endpoint: 'サービスがリクエストの種類を認識できませんでした。バックエンドが誤ったエンドポイントまたはベース URL を呼び出している可能性があります（TOAPIS_BASE_URL を確認してください。例: https://toapis.com、/v1 は付けない）。',
    billed_failure: 'このタスクはサービス側で作成されたため、課金されている可能性があります。サポートに連絡する場合は、タスク ID とコピーした詳細を送ってください。',
  },
  componentCrashed: 'ジェネレーターのこの部分が動作を停止しました。プロンプトと画像は保持されています。',
  tryAgain: 'もう一度試す',

  /* ---- ETA and queue position (issue 14) */
  etaSeconds: (s) => `残り約 ${num(s)} 秒`,
  etaMinutes: (m) => `残り約 ${num(m)} 分`,
  etaAlmostDone: 'まもなく完了',
  progressWithEta: (progress, eta) => `${progress} · ${eta}`,
  queuePosition: (n) => (n === 0 ? '次に処理されます' : `キューの ${num(n)} 番目`),
  /* ---- Many jobs: reuse settings, more like this, cancel all, clear finished (issue 14) */
  reuseSettings: '設定を再利用',
  moreLikeThis: '同じ設定でもう一度',
  settingsRestored: (expired) => (expired === 0 ? '設定を復元しました' : `設定を復元しました。期限切れの参照画像 ${num(expired)} 枚は追加されていません`),
  taskToolbar: 'タスク',
  cancelAll: 'すべてキャンセル',
  clearFinished: '終了したものを消去',
  tasksCleared: (n) => `終了したタスク ${num(n)} 件を消去しました`,
  undo: '元に戻す',
  /* ---- several images, compare, downloads (issue 14) */
  selectImage: (i) => `画像 ${num(i)} を選択`,
  imagePending: (i, total) => `画像 ${num(i)} / ${num(total)}、生成中`,
  selectedCount: (n) => `${num(n)} 件選択中`,
  compare: '比較',
  compareHint: '比較するには画像をちょうど 2 枚選択してください。',
  compareTitle: '画像を比較',
  comparePosition: '比較位置',
  sideBySide: '横に並べる',
  close: '閉じる',
  compareImageAlt: (i, prompt) => `タスクの画像 ${num(i)}：${prompt}`,
  downloadAll: 'すべてダウンロード',
  downloadSelected: '選択した画像をダウンロード',
  clearSelection: '選択を解除',
  preparing: '準備中…',
  zipFailed: (n) =>
    n === 0
      ? 'ZIP ファイルを作成できませんでした。何も保存されていません。もう一度お試しください。'
      : `${num(n)} 枚の画像をダウンロードできなかったため、何も保存されていません。もう一度お試しいただくか、1 枚ずつ保存してください。`,
  zipExpired: 'これらの画像は有効期限が切れたため、ダウンロードできません。',
  /* ---- prompt history (issue 14) */
  promptHistory: 'プロンプト履歴',
  searchPrompts: 'プロンプトを検索',
  clearHistory: '履歴を消去',
  historyEmpty: 'プロンプトはまだありません。生成に使ったプロンプトがここに表示されます。',
  historyNoMatch: (query) => `「${query}」を含むプロンプトはありません。`,
  historyCleared: 'プロンプト履歴を消去しました。',
  /* ---- presets (issue 14) */
  preset: 'プリセット',
  presetPlaceholder: 'プリセットを選択',
  hostPresetsGroup: 'プリセット',
  userPresetsGroup: 'マイプリセット',
  savePreset: 'プリセットを保存',
  deletePreset: 'プリセットを削除',
  presetName: 'プリセット名',
  presetIncludePrompt: 'プロンプトを含める',
  presetSave: '保存',
  presetCancel: 'キャンセル',
  exportPresets: 'プリセットを書き出す',
  importPresets: 'プリセットを読み込む',
  presetApplied: (name) => `プリセット「${name}」を適用しました`,
  presetSaved: (name) => `プリセット「${name}」を保存しました`,
  presetDeleted: (name) => `プリセット「${name}」を削除しました`,
  presetsImported: (n) => `${num(n)} 個のプリセットを読み込みました`,
};
