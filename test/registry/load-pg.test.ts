import { describe, expect, it } from 'vitest';
import { loadPg } from '../../src/infra/registry/postgres/load-pg.js';

/**
 * load-pg.ts hides the global Response while pg loads (so pg does not load Node's fetch); it must
 * put it back as it was.
 */
describe('loadPg', () => {
  it('returns pg and leaves the global Response exactly as it found it', () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'Response');
    const pg = loadPg();
    expect(typeof pg.Pool).toBe('function');
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Response')).toEqual(before);
    expect(new Response('ok').status).toBe(200);
  });
});
