/**
 * Turns a message reported as data (a code and its parameters, src/core/messages.ts) into the
 * label pack's text. Core-free: it reads only the pack and the message object.
 */
import type { ToapisErrorKind } from '../core/errors';
import type { MessageCode, MessageParams } from '../core/messages';
import type { Labels } from './en';

/** A message as core, the store or a host reports it: a field issue, a refused reference, a tray notice. */
export interface MessageInput {
  /** `required`, `too_long`… or a whole code (`prompt.too_long`) when there is no `field`. */
  code: string;
  /** The field the message is about (`prompt`, `references`; `reference` for a file or a tray notice). */
  field?: string;
  params?: Readonly<MessageParams>;
  /** A field issue's limit, used as `max` when `params` has none. */
  limit?: number;
  /** A parameter issue's parameter, used as `parameter` when `params` has none. */
  parameter?: string;
  /** English text, shown when the pack has nothing for the code (or returns an empty string). */
  message: string;
}

/** The pack's text for a message, or its English `message` when the pack has none for its code. */
export function formatMessage(labels: Pick<Labels, 'messages'>, input: MessageInput): string {
  const key = input.field ? `${input.field}.${input.code}` : input.code;
  const messages = labels.messages as Partial<Record<string, Labels['messages'][MessageCode]>> | undefined;
  const text = messages && Object.hasOwn(messages, key) ? messages[key] : undefined;
  if (typeof text !== 'function') return input.message;
  const params: MessageParams = {
    ...(input.limit !== undefined && { max: input.limit }),
    ...(input.parameter !== undefined && { parameter: input.parameter }),
    ...input.params,
  };
  try {
    return text(params) || input.message;
  } catch {
    return input.message; // a host's formatter that throws must not take the form down
  }
}

/** Longest server message shown after "Server said"; the rest is cut (a hostile server could send megabytes). */
const MAX_SERVER_WORDS = 500;

/**
 * One line for a failed upload or request: the pack's sentence for the error's kind and, when the
 * server said something else, its own words after `serverSaid` (as text, never markup).
 */
export function formatError(labels: Pick<Labels, 'errors' | 'serverSaid'>, error: { kind: ToapisErrorKind; message?: string }): string {
  const sentence = labels.errors[error.kind] ?? labels.errors.server;
  const server = typeof error.message === 'string' ? error.message.trim().slice(0, MAX_SERVER_WORDS) : '';
  return server && server !== sentence ? `${sentence} ${labels.serverSaid(server)}` : sentence;
}
