/** `@toapis/image-kit/core`: the client's methods and what they resolve to, and the error type. */
import { describe, expectTypeOf, test } from 'vitest';
import {
  ToapisError,
  createPoller,
  createToapisClient,
  parseTask,
  type BackendCapabilities,
  type Poller,
  type SubmitRequest,
  type TaskSnapshot,
  type TaskStatusPhase,
  type ToapisClient,
  type ToapisErrorKind,
  type UploadResult,
} from '@toapis/image-kit/core';

describe('createToapisClient', () => {
  const client = createToapisClient({ backendUrl: '/api' });

  test('gives a ToapisClient', () => {
    expectTypeOf(client).toEqualTypeOf<ToapisClient>();
    expectTypeOf(client.backendUrl).toEqualTypeOf<string>();
  });

  test('every call resolves to the parsed protocol type', () => {
    expectTypeOf(client.capabilities()).toEqualTypeOf<Promise<BackendCapabilities>>();
    expectTypeOf(client.createTask({ prompt: 'a fox', model: 'gemini-3.1-flash-image-preview' })).toEqualTypeOf<Promise<TaskSnapshot>>();
    expectTypeOf(client.getTask('task_1')).toEqualTypeOf<Promise<TaskSnapshot>>();
    expectTypeOf(client.uploadImage(new Blob())).toEqualTypeOf<Promise<UploadResult>>();
    expectTypeOf(client.watchTask('task_1', { onSnapshot: () => {} })).toEqualTypeOf<Promise<TaskSnapshot>>();
    expectTypeOf(client.request('GET', '/v1/capabilities')).toEqualTypeOf<Promise<unknown>>();
    // Optional on the interface: a host's own client may leave it out.
    expectTypeOf<ToapisClient['downloadImage']>().toEqualTypeOf<
      ((id: string, index: number, options?: { signal?: AbortSignal; filename?: string }) => Promise<Blob>) | undefined
    >();
  });

  test('snapshots, uploads and capabilities', () => {
    expectTypeOf<TaskSnapshot['phase']>().toEqualTypeOf<TaskStatusPhase>();
    expectTypeOf<TaskSnapshot['progress']>().toEqualTypeOf<number | null>();
    expectTypeOf<UploadResult['url']>().toEqualTypeOf<string>();
    expectTypeOf<BackendCapabilities>().toEqualTypeOf<{ stream: boolean; downloads: boolean }>();
    expectTypeOf(parseTask).returns.toEqualTypeOf<TaskSnapshot>();
    expectTypeOf<SubmitRequest['prompt']>().toEqualTypeOf<string>();
  });

  test('wrong calls are refused', () => {
    // @ts-expect-error backendUrl is required
    createToapisClient({});
    // @ts-expect-error watchTask needs onSnapshot
    void client.watchTask('task_1', {});
    // @ts-expect-error a task id is a string
    void client.getTask(42);
  });
});

describe('ToapisError and the poller', () => {
  test('an Error with a kind and HTTP details', () => {
    expectTypeOf<ToapisError>().toExtend<Error>();
    expectTypeOf<ToapisError['kind']>().toEqualTypeOf<ToapisErrorKind>();
    expectTypeOf<ToapisError['status']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ToapisError['retryable']>().toEqualTypeOf<boolean>();
    // @ts-expect-error the kind is one of ToapisErrorKind
    void new ToapisError('oops', 'message');
  });

  test('createPoller gives a Poller', () => {
    expectTypeOf(createPoller).returns.toEqualTypeOf<Poller>();
    expectTypeOf<Poller['tracked']>().toEqualTypeOf<readonly string[]>();
  });
});
