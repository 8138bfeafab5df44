/** What goes upstream on the happy paths: uploads, submits, reads by task or business id, basePath. */
import {
  closeHarnesses,
  UPSTREAM,
  MODEL,
  type Json,
  harness,
  json,
  errorOf,
  submitBody,
  submit,
  submitOk,
  upload,
  PNG,
} from './harness';

afterEach(closeHarnesses);

/* -------------------------------------------------------------------------------------------------
 * Happy paths and what goes upstream
 * -----------------------------------------------------------------------------------------------*/

describe('forwarding', () => {
  it('re-encodes an upload as a fresh multipart body with the sniffed type and a safe name', async () => {
    const h = harness();
    const res = await upload(h.visitor(), PNG, '../../my photo!!.png');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.success).toBe(true);
    expect(((body.data as Json).url as string).startsWith(`${UPSTREAM}/sim/uploads/`)).toBe(true);
    const form = await (h.upstream[0] as Request).formData();
    const file = form.get('file');
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe('myphoto.png');
    expect((file as File).type).toBe('image/png');
    expect((file as File).size).toBe(PNG.byteLength);
    expect(form.get('purpose')).toBe('generation');
  });

  it('namespaces the business id upstream, strips client callbacks, and un-namespaces answers', async () => {
    const h = harness();
    const v = h.visitor();
    const task = await submitOk(v, { client_business_id: 'kit-abc-1', callback_url: 'https://evil.test/hook', model: 'nano-banana-2' });
    expect(task.client_business_id).toBe('kit-abc-1');
    const sent = (await (h.upstream[0] as Request).json()) as Json;
    expect(sent.client_business_id).toMatch(/^[0-9a-f]{16}:kit-abc-1$/);
    expect(sent.callback_url).toBeUndefined();
    expect(sent.model).toBe(MODEL); // alias resolved to the wire id

    const byTask = await json(await v.send(`/v1/images/generations/${String(task.id)}`));
    expect(byTask.client_business_id).toBe('kit-abc-1');
    const byBusiness = await v.send('/v1/images/generations/kit-abc-1');
    expect(byBusiness.status).toBe(200);
    expect((await json(byBusiness)).id).toBe(task.id);
  });

  it('adds a business id when the client sent none', async () => {
    const h = harness();
    await submitOk(h.visitor(), { client_business_id: undefined });
    const sent = (await (h.upstream[0] as Request).json()) as Json;
    expect(sent.client_business_id).toMatch(/^[0-9a-f]{16}:px-/);
  });

  it('finds a task whose submit answer was lost, by business id, for its owner only', async () => {
    const h = harness();
    const a = h.visitor();
    const b = h.visitor();
    await b.send('/v1/capabilities'); // b has no cookie yet: give it one
    await submit(b, {});
    // The upstream created the task but the answer never came back (`lost_submit`).
    const lost = await submit(a, { prompt: '[sim:lost_submit] a fox', client_business_id: 'kit-lost-1' });
    expect(lost.status).toBe(502);
    expect(errorOf(await json(lost)).code).toBe('upstream_unreachable');
    expect(h.sim.stats.tasksCreated).toBe(2);

    const found = await a.send('/v1/images/generations/kit-lost-1');
    expect(found.status).toBe(200);
    const task = await json(found);
    expect(task.client_business_id).toBe('kit-lost-1');
    expect((await b.send('/v1/images/generations/kit-lost-1')).status).toBe(404);
    expect((await b.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
  });

  it('answers capabilities and honours basePath', async () => {
    const h = harness({ basePath: '/api/' });
    const v = h.visitor();
    const caps = await v.send('/api/v1/capabilities');
    expect(await json(caps)).toEqual({ stream: true, proxy: true, downloads: true });
    expect((await v.send('/v1/capabilities')).status).toBe(404);
    const task = await (await v.send('/api/v1/images/generations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submitBody()),
    })).json() as Json;
    expect((await v.send(`/api/v1/images/generations/${String(task.id)}`)).status).toBe(200);
  });
});
