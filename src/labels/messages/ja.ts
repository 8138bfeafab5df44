/** Japanese texts of the messages core reports as codes (src/core/messages.ts). */
import type { MessageCode } from '../../core/messages';
import { bytes, param, type MessageText } from './shared';

const v = (value: string | number | undefined) => param(value, 'ja-JP');
const file = (name: string | number | undefined) => (name ? `「${name}」` : 'ファイル');
const TYPES: Partial<Record<string, string>> = { boolean: 'true か false', integer: '整数', number: '数値' };

export const jaMessages: Record<MessageCode, MessageText> = {
  'model.required': () => 'モデルを選択してください。',
  'prompt.required': () => 'プロンプトを入力してください。',
  'prompt.too_long': (p) => `プロンプトが ${v(p.length)} 文字あります。このモデルの上限は ${v(p.max)} 文字です。`,
  'aspectRatio.unsupported': (p) =>
    p.minReferences
      ? `アスペクト比 ${v(p.ratio)} を使うには、参照画像が 1 枚以上必要です。`
      : `${v(p.model)} はアスペクト比 ${v(p.ratio)} に対応していません。`,
  'resolution.unsupported': (p) => {
    if (p.ratios) return `${v(p.model)} の解像度 ${v(p.resolution)} は、アスペクト比 ${v(p.ratios)} でのみ使えます。`;
    if (p.allowed) return `${v(p.model)} は解像度 ${v(p.resolution)} に対応していません。${v(p.allowed)} から選んでください。`;
    return `${v(p.model)} には解像度の設定がありません。`;
  },
  'n.out_of_range': (p) => {
    if (p.max === 1) return `${v(p.model)} が 1 回のリクエストで生成できる画像は 1 枚だけです。`;
    if (p.allowed) return `${v(p.model)} が 1 回のリクエストで生成できる枚数は ${v(p.allowed)} 枚のいずれかです。`;
    return `${v(p.model)} が 1 回のリクエストで生成できる枚数は ${v(p.min)}〜${v(p.max)} 枚です。`;
  },
  'references.too_many': (p) => {
    if (p.n !== undefined) {
      return `${v(p.model)} では参照画像と出力画像は合わせて最大 ${v(p.max)} 枚です（参照画像 ${v(p.count)} 枚 + 出力 ${v(p.n)} 枚 = ${v(p.total)} 枚）。`;
    }
    if (p.max === 0) return `${p.model ? v(p.model) : 'このモデル'} は参照画像を使えません。`;
    return `参照画像は最大 ${v(p.max)} 枚までです${p.count !== undefined ? `（現在 ${v(p.count)} 枚）` : ''}。`;
  },
  'references.invalid_url': (p) =>
    p.index !== undefined
      ? `参照画像 ${v(p.index)} は http(s) の URL ではありません。先にアップロードしてください。`
      : 'アップロードに失敗したか、有効期限が切れた参照画像があります。再試行するか削除してください。',
  'parameters.unsupported': (p) =>
    p.values
      ? `「${v(p.parameter)}」は ${v(p.values)} のいずれかにしてください（「${v(p.value)}」は使えません）。`
      : `${v(p.model)} はパラメーター「${v(p.parameter)}」に対応していません。`,
  'parameters.invalid_type': (p) =>
    p.values
      ? `「${v(p.parameter)}」は ${v(p.values)} のいずれかにしてください。`
      : `「${v(p.parameter)}」は${TYPES[v(p.type)] ?? '数値'}にしてください。`,
  'parameters.out_of_range': (p) => `「${v(p.parameter)}」は ${v(p.min)}〜${v(p.max)} の範囲で指定してください（現在 ${v(p.value)}）。`,
  'parameters.requires': (p) => `「${v(p.parameter)}」を使うには、「${v(p.requires)}」を ${v(p.value)} にしてください。`,
  'reference.empty': (p) => `${file(p.name)}は空のファイルです。`,
  'reference.not_image': (p) => `${file(p.name)}は画像ではありません。`,
  'reference.unsupported_format': (p) =>
    p.format
      ? `${file(p.name)}は ${v(p.format)} 画像のため使えません。${v(p.formats)} の画像を使ってください。`
      : `${file(p.name)}は対応していない画像形式です。${v(p.formats)} の画像を使ってください。`,
  'reference.too_large': (p) => {
    const limit = p.max !== undefined ? `上限は ${bytes(p.max)} です。` : '';
    return p.size !== undefined ? `${file(p.name)}のサイズは ${bytes(p.size)} です。${limit}` : `${file(p.name)}は大きすぎます。${limit}`;
  },
  'reference.too_many': (p) =>
    `${file(p.name)}は追加されませんでした。${p.max !== undefined ? `参照画像は最大 ${v(p.max)} 枚までです。` : '参照画像の上限に達しています。'}`,
  'reference.duplicate': (p) => `${file(p.name)}はすでに追加されています。`,
  'reference.corrupt': (p) => `${file(p.name)}は破損しているか不完全なため使えません。`,
  'reference.unreadable': (p) => `${file(p.name)}を読み込めませんでした。`,
  'reference.expired': (p) =>
    `${file(p.name)}は有効期限が切れています（生成結果の保存期間は 24 時間です）。参照画像に使うには、もう一度生成してください。`,
  'reference.unrestorable': (p) => `保存された生成${p.prompt ? `（「${v(p.prompt).slice(0, 60)}」）` : ''}を復元できなかったため、再送信していません。`,
  /* ---- presets (issue 14) */
  'preset.name_required': () => 'プリセット名を入力してください。',
  'preset.name_too_long': (p) => `プリセット名は ${v(p.length)} 文字です。${v(p.max)} 文字以内にしてください。`,
  'preset.name_reserved': (p) =>
    p.index !== undefined
      ? `ファイルの ${v(p.index)} 番目のプリセット名「${v(p.name)}」はこのサイトのプリセットと同じです。プリセットは読み込まれませんでした。`
      : `「${v(p.name)}」はこのサイトのプリセットのため上書きできません。別の名前にしてください。`,
  'preset.too_many': (p) =>
    p.count !== undefined
      ? `読み込むとプリセットが ${v(p.count)} 個になります。保存できるのは ${v(p.max)} 個までです。プリセットは読み込まれませんでした。`
      : `保存できるプリセットは ${v(p.max)} 個までです。先にどれかを削除してください。`,
  'preset.invalid_json': () => 'ファイルが正しい JSON ではありません。プリセットは読み込まれませんでした。',
  'preset.wrong_shape': (p) =>
    p.version !== undefined
      ? `このファイルのプリセットはバージョン ${v(p.version)} で、読み込めません。プリセットは読み込まれませんでした。`
      : 'プリセットのファイルではありません（{ "v": 1, "presets": [...] } の形式が必要です）。プリセットは読み込まれませんでした。',
  'preset.invalid_entry': (p) =>
    `ファイルの ${v(p.index)} 番目のプリセット${p.name ? `（「${v(p.name)}」）` : ''}${p.field ? `の「${v(p.field)}」` : ''}に無効な値があります。プリセットは読み込まれませんでした。`,
  'preset.file_too_large': (p) => `ファイルのサイズは ${bytes(p.size)} です。プリセットのファイルは ${bytes(p.max)} までです。プリセットは読み込まれませんでした。`,
  /* ---- mask (issue 15) */
  'mask.upload_failed': () => 'マスクをアップロードできませんでした。マスクエディターでもう一度適用するか、マスクを削除してください。',
  'mask.size_mismatch': (p) =>
    `マスクは ${v(p.width)}×${v(p.height)} ピクセルですが、最初の参照画像は ${v(p.referenceWidth)}×${v(p.referenceHeight)} ピクセルです。マスクを編集し直してください。`,
  'reference.mask_too_large': (p) => `マスクのサイズは ${bytes(p.size)} です。このモデルのマスクは ${bytes(p.max)} までです。マスクは適用されませんでした。`,
  'reference.mask_aside_model': (p) =>
    `${p.model ? v(p.model) : 'このモデル'}はマスクに対応していないため、マスクは保留されます。マスクに対応したモデルに戻すと再び使われます。`,
  'reference.mask_aside_reference': () => '最初の参照画像がマスクを描いた画像ではなくなりました。使うにはマスクを編集し直してください。',
  'generator.load_failed': () => 'ジェネレーターの一部を読み込めませんでした（接続を確認してください）。何も送信されていません。もう一度「生成」を押してください。',
};
