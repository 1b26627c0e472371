import { describe, expect, it } from 'vitest';
import { bufferedResponse } from '../../src/infra/model/buffered-response.js';

/**
 * The answers http-fetch.ts hands the openai SDK: a Response that keeps its bytes. Every row is
 * checked against a standard Response made from the same bytes, so the two can only agree.
 */

const enc = (s: string) => new TextEncoder().encode(s);
const bodies: Array<[string, Uint8Array | null]> = [
  ['JSON', enc('{"choices":[{"message":{"content":"30 days"}}],"usage":{"prompt_tokens":3}}')],
  ['text with non-ASCII', enc('héllo — ✓ 日本')],
  ['a leading byte-order mark', enc('\uFEFF{"a":1}')],
  ['invalid UTF-8', new Uint8Array([0x61, 0xff, 0xfe, 0x62])],
  ['empty', new Uint8Array(0)],
  ['no body', null],
];
const init = { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json', 'x-request-id': 'r1' } };
const both = (bytes: Uint8Array | null) => [bufferedResponse(bytes, init), new Response(bytes, init)] as const;
const outcome = async (p: () => Promise<unknown>) => {
  try {
    return { value: await p() };
  } catch (e) {
    return { error: (e as Error).name };
  }
};

describe('bufferedResponse reads as a standard Response does', () => {
  it.each(bodies)('%s: status, headers, text, json, arrayBuffer, blob', async (_, bytes) => {
    for (const read of ['text', 'json', 'arrayBuffer', 'blob'] as const) {
      const [mine, standard] = both(bytes);
      expect(mine).toBeInstanceOf(Response);
      expect([mine.status, mine.statusText, mine.ok, mine.headers.get('x-request-id')]).toEqual([standard.status, standard.statusText, standard.ok, standard.headers.get('x-request-id')]);
      expect(mine.bodyUsed).toBe(false);
      const [a, b] = [await outcome(() => mine[read]()), await outcome(() => standard[read]())];
      if (read === 'blob') {
        expect('value' in a && 'value' in b).toBe(true);
        expect(await (a.value as Blob).text()).toBe(await (b.value as Blob).text());
        expect((a.value as Blob).type).toBe((b.value as Blob).type);
      } else if (read === 'arrayBuffer') {
        expect(new Uint8Array(a.value as ArrayBuffer)).toEqual(new Uint8Array(b.value as ArrayBuffer));
      } else {
        expect(a).toEqual(b);
      }
      // Read once: a second read fails on both (an empty or missing body stays readable on neither).
      expect(mine.bodyUsed).toBe(standard.bodyUsed);
      expect(await outcome(() => mine.text())).toEqual(await outcome(() => standard.text()));
    }
  });

  it.each(bodies)('%s: body as a stream, then reading it, then a clone', async (_, bytes) => {
    const [mine, standard] = both(bytes);
    expect(mine.body === null).toBe(standard.body === null);
    // Looking at `body` does not use it up.
    expect(mine.bodyUsed).toBe(false);
    const [c1, c2] = [mine.clone(), standard.clone()];
    expect(await c1.text()).toBe(await c2.text());
    expect(await mine.text()).toBe(await standard.text());
    expect(mine.bodyUsed).toBe(standard.bodyUsed);
    // A used body cannot be cloned; a missing one can, on both.
    const cloneFails = (r: Response) => {
      try {
        r.clone();
        return false;
      } catch (e) {
        return e instanceof TypeError;
      }
    };
    expect(cloneFails(mine)).toBe(cloneFails(standard));
    expect(cloneFails(standard)).toBe(bytes !== null);
  });

  it('a clone is independent of the original', async () => {
    const original = bufferedResponse(enc('{"a":1}'), init);
    const copy = original.clone();
    expect(await original.json()).toEqual({ a: 1 });
    expect(original.bodyUsed).toBe(true);
    expect(copy.bodyUsed).toBe(false);
    expect(await copy.json()).toEqual({ a: 1 });
    expect(copy.headers.get('content-type')).toBe('application/json');
  });

  it('a body read through its stream counts as used', async () => {
    const r = bufferedResponse(enc('abc'), init);
    const reader = r.body!.getReader();
    expect(r.bodyUsed).toBe(true);
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('abc');
    await expect(r.text()).rejects.toThrow(TypeError);
  });
});
