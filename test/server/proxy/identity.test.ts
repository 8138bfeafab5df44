/** Identity and ownership: the session cookie, the host's authenticate hook, and 404s for foreign tasks. */
import { closeHarnesses, BASE, harness, visitor, json, errorOf, submit, submitBody, submitOk } from './harness';

afterEach(closeHarnesses);

/* -------------------------------------------------------------------------------------------------
 * Identity and ownership
 * -----------------------------------------------------------------------------------------------*/

describe('identity and ownership', () => {
  it('issues a signed, HttpOnly, SameSite=Lax session cookie with a Max-Age (__Host- and Secure over https)', async () => {
    const h = harness();
    const submitInit = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(submitBody()) };
    const res = await h.proxy.fetch(new Request(`${BASE}/v1/images/generations`, submitInit));
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gen_sid=[A-Za-z0-9_-]{22}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/);
    const https = await h.proxy.fetch(new Request('https://app.example/v1/images/generations', submitInit));
    expect(https.headers.get('set-cookie')).toMatch(/^__Host-gen_sid=[A-Za-z0-9_-]{22}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure$/);
    // A returning visitor keeps the cookie: none is issued again.
    const again = await h.proxy.fetch(new Request(`${BASE}/v1/images/generations/unknown-1`, { headers: { cookie: cookie.split(';')[0] ?? '' } }));
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it("gives visitor B the same 404 for A's task id, A's business id and an unknown id", async () => {
    const h = harness();
    const a = h.visitor();
    const b = h.visitor();
    const task = await submitOk(a, { client_business_id: 'kit-a-1' });
    await b.send('/v1/capabilities');
    const unknown = await b.send('/v1/images/generations/task_img_unknown00');
    const unknownText = await unknown.text();
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknownText)).toEqual({ error: { code: 404, message: 'Task not found', type: 'not_found_error' } });
    for (const path of [`/v1/images/generations/${String(task.id)}`, '/v1/images/generations/kit-a-1', `/v1/images/generations/${String(task.id)}/events`, '/v1/images/generations/kit-a-1/events']) {
      const res = await b.send(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).toBe(unknownText);
    }
    expect((await a.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);

    // A forged or tampered cookie is a new anonymous visitor, not A.
    const forged = visitor(h, `${a.cookie?.slice(0, -2) ?? ''}xx`);
    expect((await forged.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
  });

  it('uses the host authenticate hook: identity, Response short-circuit, null → 401', async () => {
    const h = harness({
      authenticate: (request) => {
        const user = request.headers.get('x-user');
        if (user === 'blocked') return new Response('nope', { status: 403 });
        return user ? { id: user } : null;
      },
    });
    const v = h.visitor();
    const anonymous = await submit(v);
    expect(anonymous.status).toBe(401);
    expect(errorOf(await json(anonymous)).type).toBe('authentication_error');
    expect(anonymous.headers.get('set-cookie')).toBeNull();
    expect((await submit(v, {}, { 'x-user': 'blocked' })).status).toBe(403);
    const res = await submit(v, {}, { 'x-user': 'alice' });
    expect(res.status).toBe(200);
    const id = String((await json(res)).id);
    expect((await v.send(`/v1/images/generations/${id}`, { headers: { 'x-user': 'alice' } })).status).toBe(200);
    expect((await v.send(`/v1/images/generations/${id}`, { headers: { 'x-user': 'bob' } })).status).toBe(404);
    // The submit, alice's read, and bob's two lookups (by task id, then by business id), exactly
    // what an unknown id costs: a foreign id is not cheaper to ask about.
    expect(h.upstream).toHaveLength(4);
  });
});
