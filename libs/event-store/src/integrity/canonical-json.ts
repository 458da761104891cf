/**
 * Canonical JSON as in RFC 8785 (JSON Canonicalization Scheme, JCS), which an auditor can re-implement
 * in any language (libraries exist for Java, Go, Python, C#):
 *  - object members sorted by key, comparing the keys as UTF-16 code-unit sequences (JavaScript's default
 *    string order), recursively; no whitespace anywhere;
 *  - strings escaped exactly as ECMAScript JSON.stringify does (", \, control characters < 0x20 as \b \f
 *    \n \r \t or \u00XX lower-case hex; everything else, including non-ASCII, as the raw UTF-8 character);
 *  - numbers in ECMAScript Number-to-string form (shortest round-trip: 1, 0.1, 1e+21, -0 as 0);
 *  - true, false, null as literals; arrays keep their order.
 *
 * It is applied to PARSED values, never to the text a database stored: PostgreSQL jsonb reorders keys and
 * rewrites numbers (1e-7 comes back as 0.0000001), so only the parsed value is the same in both stores.
 */
export function canonicalJson(value: unknown): string {
  // the fast form (about half the time on an event): copy the value with every object's keys inserted in
  // sorted order, then ONE native JSON.stringify, which writes strings and numbers exactly as the
  // definition below does (the definition calls JSON.stringify on each of them). It only takes plain JSON
  // values (plain objects, arrays without holes, strings, finite numbers, booleans, null: everything
  // JSON.parse produces, which is what the hash chain feeds it); anything else (toJSON, class instances,
  // boxed primitives, functions, non-finite numbers, holes, keys that start with a digit, which JavaScript
  // enumerates integer-first whatever their insertion order, "__proto__") is left to the definition,
  // which also throws where it throws. canonical-json.spec.ts compares the two.
  const text = fastCanonicalJson(value);
  return text ?? canonicalJsonDefinition(value);
}

/**
 * The definition, written for reading (an auditor re-implements this); canonicalJson returns the same
 * text faster.
 */
export function canonicalJsonDefinition(value: unknown): string {
  return definition(value);
}

function definition(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => definition(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${definition(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** canonicalJson's fast form, or undefined where it must not be trusted (see canonicalJson). */
function fastCanonicalJson(value: unknown): string | undefined {
  const copy = sortedCopy(value);
  return copy === UNSURE ? undefined : JSON.stringify(copy);
}

const UNSURE = Symbol('unsure');

/**
 * A copy of a JSON value with every object's keys inserted in sorted order, which JSON.stringify then
 * writes in that order; UNSURE for anything outside plain JSON values.
 */
function sortedCopy(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : UNSURE;
    case 'object': {
      if (v === null) return v;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return UNSURE;
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          // a hole: the definition's map() keeps it (and writes nothing), JSON.stringify writes null
          if (!(i in v)) return UNSURE;
          const x: unknown = v[i];
          // an undefined element is written as null by both
          const c = x === undefined ? null : sortedCopy(x);
          if (c === UNSURE) return UNSURE;
          out[i] = c;
        }
        return out;
      }
      // class instances, boxed primitives, Dates (toJSON): the definition decides
      if (Object.getPrototypeOf(v) !== Object.prototype) return UNSURE;
      const keys = Object.keys(v).sort();
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        // integer-like keys are enumerated first in numeric order whatever order they are inserted in;
        // "__proto__" would set the copy's prototype instead of a member
        const c0 = k.charCodeAt(0);
        if ((c0 >= 48 && c0 <= 57) || k === '__proto__') return UNSURE;
        const x = (v as Record<string, unknown>)[k];
        // an undefined member is left out by both
        if (x === undefined) continue;
        const c = sortedCopy(x);
        if (c === UNSURE) return UNSURE;
        out[k] = c;
      }
      return out;
    }
    default:
      return UNSURE;
  }
}
