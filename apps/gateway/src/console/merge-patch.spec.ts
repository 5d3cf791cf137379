import { applyMergePatch } from './merge-patch';

describe('applyMergePatch (RFC 7396)', () => {
  it('replaces the keys the patch names and keeps the others', () => {
    expect(applyMergePatch({ strategy: 'redis', lockTtlMs: 500 }, { strategy: 'snowflake' })).toEqual({ strategy: 'snowflake', lockTtlMs: 500 });
  });

  it('removes a key patched with null, and replaces arrays whole', () => {
    expect(applyMergePatch({ a: 1, b: [1, 2] }, { a: null, b: [3] })).toEqual({ b: [3] });
  });

  it('merges nested objects and replaces a non-object target', () => {
    expect(applyMergePatch({ x: { y: 1, z: 2 } }, { x: { z: 3 } })).toEqual({ x: { y: 1, z: 3 } });
    expect(applyMergePatch('text', { a: 1 })).toEqual({ a: 1 });
    expect(applyMergePatch({ a: 1 }, 'whole')).toBe('whole');
  });
});
