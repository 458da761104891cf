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
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}
