import { canonicalJson, hashRequest } from './idempotency.js';

describe('the request hash behind Idempotency-Key', () => {
  it.each([
    [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ],
    [
      { categoryId: 'c', tasks: [{ description: 'x', siteId: 's' }], heldOn: '2026-11-20' },
      { heldOn: '2026-11-20', tasks: [{ siteId: 's', description: 'x' }], categoryId: 'c' },
    ],
    [
      { requirements: [{ heading: 'h', body: 'b' }] },
      { requirements: [{ body: 'b', heading: 'h' }] },
    ],
    [
      { n: { deep: { z: 1, y: [{ q: 1, p: 2 }] } } },
      { n: { deep: { y: [{ p: 2, q: 1 }], z: 1 } } },
    ],
  ])('the same JSON in another key order is the same request (%#)', (one, other) => {
    expect(hashRequest(one)).toBe(hashRequest(other));
  });

  it.each([
    [{ a: 1 }, { a: 2 }],
    [{ ids: ['x', 'y'] }, { ids: ['y', 'x'] }],
    [{ a: 1 }, { a: 1, b: null }],
    [{ a: '1' }, { a: 1 }],
  ])('a different request hashes differently (%#)', (one, other) => {
    expect(hashRequest(one)).not.toBe(hashRequest(other));
  });

  it('sorts keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }, 3], a: null })).toBe(
      '{"a":null,"b":[{"c":2,"d":1},3]}',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('reads a class instance (a validated DTO) by its own fields', () => {
    class Dto {
      z = 1;
      a = 2;
    }
    expect(canonicalJson(new Dto())).toBe('{"a":2,"z":1}');
  });
});
