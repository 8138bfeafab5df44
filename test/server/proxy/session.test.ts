/**
 * The anonymous session cookie: `__Host-` and `Secure` over https, plain over http, a Max-Age the
 * proxy enforces too, rotation, immunity to cookies tossed from a sibling subdomain; and what asking
 * about someone else's task costs.
 */
import { closeHarnesses, BASE, T0, FAKE_TIMERS, harness, json, submit, submitOk, socketEnv, upstreamGets, visitor, type Harness } from './harness';

afterEach(closeHarnesses);

const HTTPS = 'https://app.example.com';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{22}\.[0-9a-z]{1,10}\.[A-Za-z0-9_-]{43}$/;

/** A visitor over https with the given Cookie header sent verbatim (a browser's jar). */
function httpsVisitor(h: Harness, cookieHeader?: string) {
  return visitor(h, cookieHeader, '192.0.2.1', HTTPS);
}

describe('session cookie', () => {
  it('over https is __Host-gen_sid with Secure; the plain name is not read there', async () => {
    const h = harness();
    const v = httpsVisitor(h);
    const res = await submit(v);
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-gen_sid=[^;]+; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure$/);
    expect(res.headers.get('set-cookie')).not.toMatch(/Domain=/i);
    const value = v.cookie!.split('=')[1]!;
    expect(value).toMatch(COOKIE_VALUE);
    // The same value under the plain name is a stranger over https...
    const plain = httpsVisitor(h, `gen_sid=${value}`);
    const task = await submitOk(v);
    expect((await plain.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
    // ...and the __Host- name is a stranger over plain http.
    const overHttp = visitor(h, `__Host-gen_sid=${value}`, '192.0.2.1', BASE);
    expect((await overHttp.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
    expect((await v.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);
  });

  it('treats X-Forwarded-Proto: https as https only under trustProxy', async () => {
    const trusted = harness({ trustProxy: true });
    const send = (h: Harness) =>
      h.proxy.fetch(
        new Request(`${BASE}/v1/images/generations`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.1' },
          body: JSON.stringify({ model: 'gemini-3.1-flash-image-preview', prompt: 'a fox', size: '1:1' }),
        }),
        socketEnv('10.0.0.1'),
      );
    expect((await send(trusted)).headers.get('set-cookie')).toMatch(/^__Host-gen_sid=.*; Secure$/);
    const untrusted = harness();
    expect((await send(untrusted)).headers.get('set-cookie')).toMatch(/^gen_sid=.*; SameSite=Lax$/);
  });

  it('a cookie tossed from a sibling subdomain cannot capture a victim’s tasks', async () => {
    const h = harness();
    // The attacker holds a genuine session of their own...
    const attacker = httpsVisitor(h);
    await submitOk(attacker);
    const attackerValue = attacker.cookie!.split('=')[1]!;
    // ...and tosses it from evil.example.com as `gen_sid` (Domain=example.com): the victim's browser
    // sends it next to (or instead of) the victim's own __Host- cookie.
    const tossed = `gen_sid=${attackerValue}`;

    // A victim who has no session yet: the tossed cookie is ignored, the victim gets their own.
    const newcomer = httpsVisitor(h, tossed);
    const res = await submit(newcomer);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-gen_sid=/);
    const newcomerTask = String((await json(res)).id);

    // A victim with a session, the tossed cookie first in the header.
    const victim = httpsVisitor(h);
    await submitOk(victim);
    const withToss = httpsVisitor(h, `${tossed}; ${victim.cookie!}`);
    const victimTask = String((await submitOk(withToss)).id);
    expect(withToss.cookie).toBe(`${tossed}; ${victim.cookie!}`); // no new cookie: the victim's own session was used

    for (const id of [newcomerTask, victimTask]) {
      expect((await attacker.send(`/v1/images/generations/${id}`)).status).toBe(404);
      expect((await attacker.send(`/v1/images/generations/${id}/events`)).status).toBe(404);
    }
    expect((await victim.send(`/v1/images/generations/${victimTask}`)).status).toBe(200);
  });

  it('expires after Max-Age on the server too, not only in the browser', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ session: { maxAgeSeconds: 3600, rotateAfterSeconds: 7200 } }); // no rotation here
    const v = h.visitor('192.0.2.1');
    const task = await submitOk(v);
    const first = v.cookie;
    expect(first).toBeDefined();
    vi.setSystemTime(T0 + 3600_000);
    expect((await v.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);
    vi.setSystemTime(T0 + 3601_000);
    const expired = await v.send(`/v1/images/generations/${String(task.id)}`);
    expect(expired.status).toBe(404);
    // A stranger now: a new session is issued in place of the expired one.
    expect(expired.headers.get('set-cookie')).toMatch(/^gen_sid=/);
    expect(v.cookie).not.toBe(first);
  });

  it('rotates a cookie older than rotateAfterSeconds: new value, same identity, same tasks', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    vi.setSystemTime(T0);
    const h = harness({ session: { maxAgeSeconds: 7200, rotateAfterSeconds: 600 } });
    const v = h.visitor('192.0.2.1');
    const task = await submitOk(v);
    const path = `/v1/images/generations/${String(task.id)}`;
    const original = v.cookie!;
    vi.setSystemTime(T0 + 599_000);
    expect((await v.send(path)).headers.get('set-cookie')).toBeNull();
    vi.setSystemTime(T0 + 600_000);
    const rotated = await v.send(path);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('set-cookie')).toMatch(/^gen_sid=[^;]+; Path=\/; Max-Age=7200; HttpOnly; SameSite=Lax$/);
    expect(v.cookie).not.toBe(original);
    expect((await v.send(path)).status).toBe(200);
    expect((await v.send(path)).headers.get('set-cookie')).toBeNull();
    // The rotated cookie lives Max-Age from its own issue time.
    vi.setSystemTime(T0 + 600_000 + 7200_000);
    expect((await v.send(path)).status).toBe(200);
    // The old value still expires on its own schedule.
    expect((await visitor(h, original, '192.0.2.1').send(path)).status).toBe(404);
  });

  it.each([
    ['a re-dated issue time (signature no longer matches)', (value: string) => value.replace(/\.([0-9a-z]+)\./, (_m, t: string) => `.${(parseInt(t, 36) + 1).toString(36)}.`)],
    ['the old two-part format', (value: string) => `${value.split('.')[0]!}.${value.split('.')[2]!}`],
    ['an issue time far in the future', (value: string) => value.replace(/\.([0-9a-z]+)\./, '.zzzzzzz.')],
    ['a truncated signature', (value: string) => value.slice(0, -1)],
  ])('treats %s as no session', async (_name, tamper) => {
    const h = harness();
    const v = h.visitor('192.0.2.1');
    const task = await submitOk(v);
    const value = v.cookie!.split('=')[1]!;
    const forged = visitor(h, `gen_sid=${tamper(value)}`, '192.0.2.1');
    expect((await forged.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(404);
  });
});

describe('foreign and unknown task ids', () => {
  it('cost the same number of upstream calls, for status reads and for streams', async () => {
    const h = harness();
    const owner = h.visitor('192.0.2.1');
    const stranger = h.visitor('192.0.2.2');
    const task = await submitOk(owner, { client_business_id: 'kit-owner-1' });
    await submitOk(stranger);
    const cost = async (path: string) => {
      const before = h.upstream.length;
      const res = await stranger.send(path);
      return { status: res.status, calls: h.upstream.length - before, body: await res.text() };
    };
    const foreign = await cost(`/v1/images/generations/${String(task.id)}`);
    const unknown = await cost('/v1/images/generations/task_img_00000000000000000000');
    const foreignBusiness = await cost('/v1/images/generations/kit-owner-1');
    const unknownBusiness = await cost('/v1/images/generations/kit-nobody-1');
    expect(foreign).toEqual(unknown);
    expect(foreignBusiness).toEqual(unknownBusiness);
    expect(foreign.status).toBe(404);
    expect(foreign.calls).toBe(2);
    const foreignEvents = await cost(`/v1/images/generations/${String(task.id)}/events`);
    const unknownEvents = await cost('/v1/images/generations/task_img_00000000000000000000/events');
    expect(foreignEvents).toEqual(unknownEvents);
    // The owner's own read is one call.
    const before = upstreamGets(h, String(task.id)).length;
    expect((await owner.send(`/v1/images/generations/${String(task.id)}`)).status).toBe(200);
    expect(upstreamGets(h, String(task.id)).length - before).toBe(1);
  });
});
