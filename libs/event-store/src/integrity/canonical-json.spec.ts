import { canonicalJson, canonicalJsonDefinition } from './canonical-json';

/**
 * canonicalJson takes a fast path (one native JSON.stringify with a key-sorting replacer) and falls back to
 * the readable definition where that path could differ. Every hash of the chain depends on the two giving
 * the same text, so they are compared here on edge cases and on many random JSON-like values.
 */
function outcome(f: (v: unknown) => string, v: unknown): { text: string } | { error: string } {
  try {
    return { text: f(v) };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

const same = (v: unknown) => expect(outcome(canonicalJson, v)).toEqual(outcome(canonicalJsonDefinition, v));

describe('canonicalJson (fast path) equals its definition', () => {
  const proto = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as unknown;
  const sparse: unknown[] = [1];
  sparse[3] = 2;
  class Point {
    constructor(
      readonly y: number,
      readonly x: number,
    ) {}
  }
  const cases: [string, unknown][] = [
    ['null', null],
    ['string with escapes', 'a"b\\c\n\u0001\u2028é漢😀\ud800'],
    ['numbers', [0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 123456789012345680000, Number.MAX_SAFE_INTEGER, 5e-324]],
    ['booleans', [true, false]],
    ['nested, unsorted', { b: { d: [1, { z: 1, a: 2 }], c: null }, a: [], '': 'empty key', B: 1, é: 2, ab: 3, a_: 4 }],
    ['sorted already', { a: 1, b: { c: 2 } }],
    ['undefined members and elements', { b: undefined, a: [undefined, 1] }],
    ['keys starting with digits', { b: 1, 10: 2, 9: 3, '01': 4, '1.5': 5 }],
    ['__proto__ member', proto],
    ['null prototype', Object.assign(Object.create(null) as object, { b: 1, a: 2 })],
    ['empty containers', [{}, []]],
    ['holes', sparse],
    ['Date (toJSON)', { at: new Date(0) }],
    ['object with its own toJSON', { toJSON: () => 'x', a: 1 }],
    ['class instance', new Point(2, 1)],
    ['Map', new Map([['a', 1]])],
    ['boxed primitives', [new Number(1), new String('ab'), new Boolean(false)]],
    ['non-finite', { a: NaN }],
    ['infinite in array', [Infinity]],
    ['function member', { f: () => 1 }],
    ['function in array', [() => 1]],
    ['symbol member', { s: Symbol('s') }],
    ['bigint', { n: 1n }],
    ['undefined root', undefined],
    ['function root', () => 1],
    ['unicode key order (UTF-16 code units)', { '\uffff': 1, '😀': 2, 'z': 3, 'Z': 4 }],
  ];
  it.each(cases)('%s', (_name, v) => same(v));

  it('a cyclic value throws in both forms', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(() => canonicalJson(a)).toThrow();
    expect(() => canonicalJsonDefinition(a)).toThrow();
  });

  it('random JSON values (as JSON.parse produces them): the same text', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const str = () => {
      const alphabet = ['a', 'b', 'Z', '_', '"', '\\', '\n', 'é', '漢', '😀', '\u0000', ' ', '1', '-'];
      let s = '';
      for (let n = Math.floor(rnd() * 6); n > 0; n--) s += alphabet[Math.floor(rnd() * alphabet.length)];
      return s;
    };
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return [null, true, false, str(), rnd() * 1e6 - 5e5, Math.floor(rnd() * 100), 1e-9 * rnd()][Math.floor(rnd() * 7)];
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let n = Math.floor(rnd() * 6); n > 0; n--) o[str()] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 2000; i++) {
      const v = JSON.parse(JSON.stringify(value(0) ?? null)) as unknown;
      expect(canonicalJson(v)).toBe(canonicalJsonDefinition(v));
    }
  });
});
