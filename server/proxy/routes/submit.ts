/**
 * `POST /v1/images/generations`: a JSON submit, checked against the core schema and the model
 * registry before it goes upstream, rebuilt from the model's documented fields only
 * (submitFields.ts), with the caller's business id moved into their namespace and any client-set
 * callback replaced by the proxy's own. Reference and mask URLs must be public http(s) URLs
 * (referenceUrls.ts).
 */
import { checkPrompt, checkReferenceCount, getModel, validateGenerationChoices, type FieldIssue } from '../../../src/core/models';
import { SubmitRequestSchema } from '../../../src/core/protocol';
import { formatBytes, isRecord } from '../../../src/core/util';
import { jsonDepthOk, readBounded } from '../body';
import { BUSY_MESSAGE, BUSY_RETRY_AFTER_S, GENERATIONS_PATH, type ProxyConfig } from '../config';
import type { Caller, Json, RequestContext } from '../context';
import type { ProxyDeps, RouteHandler } from '../deps';
import { randomToken } from '../crypto';
import { NAMESPACE_CHARS } from '../identity';
import { present } from '../ownership';
import { referenceUrlProblem, urlProblemMessage } from '../referenceUrls';
import { buildUpstreamBody, type CheckedSubmit } from '../submitFields';

/** The 400 for a `mask_url` the upload route did not hand to this caller. */
export const MASK_NOT_UPLOADED = 'mask_url must be an image uploaded through this server (POST /v1/uploads/images); upload the mask first.';

/** Generous cap on `n` for models the registry does not know (Seedream's 15 is the largest documented). */
const MAX_N = 15;
/** ToAPIs takes business ids of at most 128 characters, the namespace and its `:` included. */
const MAX_BUSINESS_ID_CHARS = 128 - NAMESPACE_CHARS - 1;
const BUSINESS_ID = /^[A-Za-z0-9_.:-]+$/;

export function createSubmitRoute({ config, responses, upstream, ownership, resources, admit, spend }: ProxyDeps): RouteHandler {
  const { invalid } = responses;
  const readSubmit = createSubmitReader(config.limits, responses, resources);
  const forward = createSubmitForwarder({ responses, upstream, ownership, spend });

  return async function handleSubmit(ctx) {
    const caller = await admit(ctx);
    if (caller instanceof Response) return caller;
    const parsed = await readSubmit(ctx.request);
    if (parsed instanceof Response) return parsed;

    const checked = validateSubmit(parsed, config);
    if ('message' in checked) return invalid(checked.message, checked.param);
    const built = buildUpstreamBody(checked);
    if (!built.ok) return invalid(built.message, built.param);
    const body = built.body;
    // A mask that goes upstream must be an upload this proxy handed to this caller (issue 15).
    if (typeof body.mask_url === 'string' && !(await ownership.ownsUpload(body.mask_url, caller.ns))) {
      return invalid(MASK_NOT_UPLOADED, 'mask_url');
    }

    // The caller's business id lives in their namespace on the wire; a client-set callback is dropped.
    const given = givenBusinessId(parsed);
    if (given !== undefined && (given.length > MAX_BUSINESS_ID_CHARS || !BUSINESS_ID.test(given))) {
      return invalid(
        `client_business_id must be 1 to ${MAX_BUSINESS_ID_CHARS} letters, digits or the characters _ . : -`,
        'client_business_id',
      );
    }
    const wireBusinessId = `${caller.ns}:${given ?? `px-${randomToken(12)}`}`;
    body.client_business_id = wireBusinessId;
    if (config.callbackUrl) body.callback_url = config.callbackUrl;
    return forward(ctx, caller, body, wireBusinessId);
  };
}

/** Reads the submit body: JSON content type, size and time bounded, UTF-8, not nested too deeply, an object. */
function createSubmitReader(
  { maxBodyBytes, bodyTimeoutMs }: ProxyConfig['limits'],
  responses: ProxyDeps['responses'],
  resources: ProxyDeps['resources'],
): (request: Request) => Promise<Json | Response> {
  const { invalid } = responses;

  return async function readSubmit(request) {
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return invalid('Send the request as JSON (Content-Type: application/json).', undefined, 415);
    }
    const lease = resources.lease();
    const read = await readBounded(request.body, request.headers, maxBodyBytes, { timeoutMs: bodyTimeoutMs, lease });
    lease.done(); // a submit is small and parsed at once; only its reading counts against the budget
    if (!read.ok) {
      switch (read.reason) {
        case 'too_large':
          return invalid(`The request body is larger than ${formatBytes(maxBodyBytes)}.`, undefined, 413);
        case 'timeout':
          return responses.requestTimeout();
        case 'busy':
          return responses.busy('proxy_busy', BUSY_MESSAGE, BUSY_RETRY_AFTER_S);
        default:
          return invalid('The request body could not be read.');
      }
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
    } catch {
      return invalid('The request body is not valid UTF-8.');
    }
    if (!jsonDepthOk(text)) return invalid('The request body is nested too deeply.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return invalid('The request body is not valid JSON.');
    }
    if (!isRecord(parsed)) return invalid('The request body must be a JSON object.', 'body');
    return parsed;
  };
}

/** The business id the caller gave, top-level or in `metadata`, if any. */
function givenBusinessId(parsed: Json): string | undefined {
  const metadata = isRecord(parsed.metadata) ? parsed.metadata : undefined;
  return typeof parsed.client_business_id === 'string'
    ? parsed.client_business_id
    : typeof metadata?.client_business_id === 'string'
      ? metadata.client_business_id
      : undefined;
}

/** Sends a checked submit upstream against the spending cap, records its owner and answers the task. */
function createSubmitForwarder({ responses, upstream, ownership, spend }: Pick<ProxyDeps, 'responses' | 'upstream' | 'ownership' | 'spend'>) {
  return async function forward(ctx: RequestContext, caller: Caller, body: Json, wireBusinessId: string): Promise<Response> {
    // The spending cap counts the order before it goes upstream; no task, no cost.
    const order = await spend.reserve(caller, body);
    if (order instanceof Response) {
      ctx.note.limit = order.status === 429 ? 'spend' : ctx.note.limit;
      return order;
    }
    const result = await upstream.call('POST', GENERATIONS_PATH, {
      client: ctx.request,
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
    if (!result.ok || result.status !== 200) await order.release();
    if (!result.ok) return responses.upstreamFailed(result.reason);
    if (result.status !== 200) return responses.relayError(result);
    if (!isRecord(result.body)) return responses.badUpstream();
    const task = result.body;
    await ownership.rememberFromBody({ ...task, client_business_id: wireBusinessId }, caller.ns);
    return responses.json(200, present(task, caller.ns));
  };
}

/** Field checks beyond JSON syntax: the choices to place, or the first problem with the field it is about. */
function validateSubmit(
  body: Json,
  { allowedModels, limits, allowPrivateReferenceUrls }: Pick<ProxyConfig, 'allowedModels' | 'limits' | 'allowPrivateReferenceUrls'>,
): CheckedSubmit | { message: string; param?: string } {
  const schema = SubmitRequestSchema.safeParse(body);
  if (!schema.success) {
    const issue = schema.error.issues[0];
    const param = issue?.path.map(String).join('.') || 'body';
    const message =
      param === 'n'
        ? 'n must be a whole number (a JSON number, not a string) of at least 1.'
        : `Invalid value for ${param}: ${issue?.message ?? 'not accepted'}.`;
    return { message, param };
  }
  const data = schema.data;
  const modelId = data.model.trim();
  const model = getModel(modelId);
  if (allowedModels) {
    if (!allowedModels.has(modelId) && !(model && allowedModels.has(model.id))) {
      return { message: `The model ${clip(modelId)} is not available here.`, param: 'model' };
    }
  } else if (!model) {
    return { message: `Unknown model ${clip(modelId)}.`, param: 'model' };
  }

  // The kit's own rules (src/core/models/request.ts), with the proxy's limits; the model's follow below.
  const prompt = data.prompt.trim();
  const promptIssue = checkPrompt(prompt, limits.maxPromptChars, 'service');
  if (promptIssue) return { message: promptIssue.message, param: 'prompt' };
  if (data.n !== undefined && data.n > MAX_N) return { message: `n must be at most ${MAX_N}.`, param: 'n' };

  const refField = data.image_urls !== undefined ? 'image_urls' : 'reference_images';
  const refs = [...(data.image_urls ?? []), ...(data.reference_images ?? [])];
  const countIssue = checkReferenceCount(refs.length, limits.maxReferences);
  if (countIssue) return { message: countIssue.message, param: refField };
  for (const [index, url] of refs.entries()) {
    const problem = referenceUrlProblem(url, allowPrivateReferenceUrls);
    if (problem) return { message: urlProblemMessage(problem, `Reference image ${index + 1}`), param: refField };
  }
  if (data.mask_url !== undefined) {
    const problem = referenceUrlProblem(data.mask_url, allowPrivateReferenceUrls);
    if (problem) return { message: urlProblemMessage(problem, 'mask_url'), param: 'mask_url' };
  }

  const metaResolution = typeof data.metadata?.resolution === 'string' ? data.metadata.resolution : undefined;
  const topFirst = !model || model.resolutionField === 'top';
  const resolution = topFirst ? (data.resolution ?? metaResolution) : (metaResolution ?? data.resolution);

  if (model) {
    const resolutionParam = resolution === undefined ? 'resolution' : resolution === data.resolution ? 'resolution' : 'metadata.resolution';
    const issues = validateGenerationChoices({
      model: model.id,
      prompt,
      ...(data.size !== undefined && { aspectRatio: data.size }),
      ...(resolution !== undefined && { resolution }),
      ...(data.n !== undefined && { n: data.n }),
      referenceUrls: refs,
    });
    const issue = issues[0];
    if (issue) return { message: issue.message, param: paramFor(issue, refField, resolutionParam) };
  }
  return { raw: body, modelId: model?.id ?? modelId, references: refs, resolution };
}

function paramFor(issue: FieldIssue, refField: string, resolutionParam: string): string {
  switch (issue.field) {
    case 'model':
      return 'model';
    case 'prompt':
      return 'prompt';
    case 'aspectRatio':
      return 'size';
    case 'resolution':
      return resolutionParam;
    case 'n':
      return 'n';
    case 'references':
      return refField;
    case 'mask': // not reached: the kit's rules check no mask (the store does, before it sends)
      return 'mask_url';
    case 'parameters': // not reached: the parameters are checked where they are placed (submitFields.ts)
      return issue.parameter ?? 'metadata';
    case 'generator': // not reached: only the browser's store reports that its own code did not load
      return 'model';
    default:
      return issue.field satisfies never;
  }
}

/** A model id as it may appear in a message: printable ASCII, at most 64 characters. */
function clip(text: string): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 64 ? `${safe.slice(0, 64)}…` : safe;
}
