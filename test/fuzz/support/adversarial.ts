import fc from 'fast-check';

/**
 * Building blocks of the hostile-input suite: a JSON tree that can hold what JavaScript objects cannot
 * (duplicate keys, own `__proto__` members, number tokens such as 1e309 or -0 that JSON.stringify would
 * rewrite), valid base bodies derived from the OpenAPI document, and the mutations applied to them.
 */

/** A JSON token written verbatim (numbers JSON.stringify cannot produce, deliberately broken text). */
export class Raw {
  constructor(readonly text: string) {}
}

/** An object as an ordered list of members, so duplicate and prototype-polluting keys survive. */
export class Obj {
  constructor(readonly entries: [string, Node][]) {}
}

export type Node = Raw | Obj | Node[] | string | number | boolean | null;

export function fromJs(value: unknown): Node {
  if (Array.isArray(value)) return value.map(fromJs);
  if (value !== null && typeof value === 'object') return new Obj(Object.entries(value).map(([k, v]) => [k, fromJs(v)]));
  return value as Node;
}

export function serialize(node: Node): string {
  if (node instanceof Raw) return node.text;
  if (node instanceof Obj) return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`).join(',')}}`;
  if (Array.isArray(node)) return `[${node.map(serialize).join(',')}]`;
  return JSON.stringify(node);
}

// ------------------------------------------------------------------------------------------------------
// Valid bodies from the OpenAPI document

/** Text placed in every informant field: it must never come back in any response. */
export const INFORMANT_MARKER = 'ZQX-INFORMANT-7731';

export interface SchemaContext {
  schemas: Record<string, OpenApiSchema>;
  today: string;
  /** a real id for a property name (leadId, leadIds, caseId …), when the fixture has one */
  idFor(property: string): string | undefined;
}

export interface OpenApiSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  $ref?: string;
  allOf?: OpenApiSchema[];
}

const DATE_NAME = /(On|^from|^to|^asOf|Date)$/;
const AGENCY_NAME = /agenc(y|ies)$|Agenc(y|ies)$/i;

/**
 * A plausible valid value for a schema: the first enum member, the documented example, else something
 * chosen by the property name (dates, agency codes, ids of the fixture's records). Bodies that pass
 * validation reach the handlers and deciders, where a 500 would hide; the mutations start from them.
 */
export function validValue(schema: OpenApiSchema, ctx: SchemaContext, property = ''): unknown {
  const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
  if (property === 'informant') return { name: `${INFORMANT_MARKER}-name`, contact: `${INFORMANT_MARKER}-contact` };
  if (ref) return validValue(ctx.schemas[ref.split('/').pop() as string], ctx, property);
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(schema.properties ?? {})) out[name] = validValue(s, ctx, name);
    return out;
  }
  if (schema.type === 'array') {
    const singular = property.replace(/ies$/, 'y').replace(/s$/, '');
    if (property === 'coAgencies') return [];
    return [validValue(schema.items ?? { type: 'string' }, ctx, singular)];
  }
  if (schema.example !== undefined && !Array.isArray(schema.example)) return schema.example;
  if (schema.type === 'number' || schema.type === 'integer') return property === 'revision' ? 1 : Math.max(1, Math.min(100, schema.maximum ?? 100));
  if (schema.type === 'boolean') return false;
  const id = ctx.idFor(property);
  if (id) return id;
  if (DATE_NAME.test(property)) return ctx.today;
  if (AGENCY_NAME.test(property)) return 'audit-bureau';
  if (property === 'password') return 'a-long-fuzz-password';
  if (property === 'username') return 'fuzz-user';
  return `测试${property || '内容'}`;
}

// ------------------------------------------------------------------------------------------------------
// Adversarial values

const specialStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007bell',
  '\u001b[31mred',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil\u202c',
  '\u200b',
  '\u200f\u200e',
  '\ufeff',
  '\uffff',
  '𠜎𠜱',
  'é',
  '🏳️‍🌈',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  "'; DROP TABLE events;--",
  '" OR 1=1 --',
  '../../../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31',
  '2026-1-1',
  '2026-01-01T00:00:00Z',
  '20260101',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  'AUDIT-BUREAU',
  'a'.repeat(256),
];

const numberTokens = [
  '1e309',
  '-1e309',
  '-0',
  '0',
  '-1',
  '1.5',
  '0.1',
  '1e-400',
  '2147483648',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '1E3',
  '1e21',
];

export const adversarialString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...specialStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 70_000 }).map((n) => '长'.repeat(Math.floor(n / 3))) },
);

const deepNesting: fc.Arbitrary<Node> = fc
  .tuple(fc.constantFrom(50, 500, 5000, 12_000), fc.boolean())
  .map(([depth, arrays]) => new Raw(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const protoObject: fc.Arbitrary<Node> = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .map((k) => new Obj([[k, new Obj([['polluted', true], ['isAdmin', true]])]]));

export const adversarialValue: fc.Arbitrary<Node> = fc.oneof(
  { weight: 6, arbitrary: adversarialString },
  { weight: 3, arbitrary: fc.constantFrom(...numberTokens).map((t) => new Raw(t)) },
  { weight: 1, arbitrary: fc.double().filter((n) => Number.isFinite(n)) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant<Node>([]) },
  { weight: 1, arbitrary: fc.constant<Node>(new Obj([])) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(fromJs) },
  { weight: 1, arbitrary: fc.array(adversarialString, { maxLength: 5 }) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: protoObject },
);

export const adversarialKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'informant', 'id', 'position', 'version', '\u0000'),
  fc.string({ maxLength: 12 }),
);

// ------------------------------------------------------------------------------------------------------
// Mutations of a body

type Step = number;
type Path = Step[];

/** Every position in the tree that holds a value (the root is []). */
function paths(node: Node, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (node instanceof Obj) node.entries.forEach(([, v], i) => out.push(...paths(v, [...at, i])));
  else if (Array.isArray(node)) node.forEach((v, i) => out.push(...paths(v, [...at, i])));
  return out;
}

function update(node: Node, path: Path, f: (n: Node) => Node | undefined): Node {
  if (path.length === 0) return f(node) ?? null;
  const [i, ...rest] = path;
  if (node instanceof Obj) {
    const entries = node.entries.slice();
    if (rest.length === 0 && f(entries[i][1]) === undefined) entries.splice(i, 1);
    else entries[i] = [entries[i][0], update(entries[i][1], rest, f)];
    return new Obj(entries);
  }
  if (Array.isArray(node)) {
    const items = node.slice();
    if (rest.length === 0 && f(items[i]) === undefined) items.splice(i, 1);
    else items[i] = update(items[i], rest, f);
    return items;
  }
  return node;
}

function objectPaths(node: Node): Path[] {
  return paths(node).filter((p) => get(node, p) instanceof Obj);
}

function get(node: Node, path: Path): Node {
  let n = node;
  for (const i of path) n = n instanceof Obj ? n.entries[i][1] : (n as Node[])[i];
  return n;
}

export interface Payload {
  contentType: string;
  text: string;
  /** what was done, for the counterexample fast-check prints */
  mutation: string;
}

/** Counterexamples can be 70 KB of text: fast-check prints this short form instead. */
export const short = (s: string, max = 400) => (s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);

function payload(contentType: string, text: string, mutation: string): Payload {
  return Object.assign(
    { contentType, text, mutation },
    { [fc.toStringMethod]: () => `{${mutation}; ${contentType}; ${JSON.stringify(short(text))}}` },
  );
}

const json = (node: Node, mutation: string): Payload => payload('application/json', serialize(node), mutation);

export function bodyArbitrary(base: Node): fc.Arbitrary<Payload> {
  const all = paths(base).filter((p) => p.length > 0);
  const objects = objectPaths(base);
  const pick = <T>(xs: T[]) => fc.constantFrom(...(xs.length ? xs : ([[]] as unknown as T[])));

  const replace = fc
    .tuple(pick(all), adversarialValue)
    .map(([p, v]) => json(update(base, p, () => v), `replace ${JSON.stringify(p)}`));
  const drop = fc.tuple(pick(all)).map(([p]) => json(update(base, p, () => undefined), `drop ${JSON.stringify(p)}`));
  const add = fc
    .tuple(pick(objects), adversarialKey, adversarialValue)
    .map(([p, k, v]) => json(update(base, p, (o) => new Obj([...(o as Obj).entries, [k, v]])), `add key ${JSON.stringify(k)} at ${JSON.stringify(p)}`));
  // JSON with a member twice: the parser keeps one of them; validation must judge the one kept
  const duplicate = fc.tuple(pick(objects), adversarialValue, fc.boolean()).map(([p, v, first]) =>
    json(
      update(base, p, (o) => {
        const entries = (o as Obj).entries;
        if (!entries.length) return new Obj([['a', v], ['a', 1]]);
        const [k] = entries[0];
        // first: the hostile value is shadowed by the valid one after it; else it comes last and is kept
        return new Obj(first ? [[k, v], ...entries] : [...entries, [k, v]]);
      }),
      `duplicate key at ${JSON.stringify(p)}`,
    ),
  );
  const several = fc
    .array(fc.tuple(pick(all), adversarialValue), { minLength: 2, maxLength: 4 })
    .map((changes) => json(changes.reduce<Node>((b, [p, v]) => safeUpdate(b, p, v), base), 'replace several'));
  const wholeBody = fc
    .oneof(
      adversarialValue,
      fc.constant<Node>([fromJs(null)]),
      fc.constant<Node>(base instanceof Obj ? [base] : []),
      fc.constant<Node>(new Raw('')),
      fc.constant<Node>(new Raw('{"a":')),
      fc.constant<Node>(new Raw('{"a":1}garbage')),
      fc.constant<Node>(new Raw('\ufeff{}')),
      fc.constant<Node>(new Raw('NaN')),
      fc.constant<Node>(new Raw(`{"x":"${'y'.repeat(70_000)}"}`)),
    )
    .map((n) => json(n, 'whole body'));
  const contentType = fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/vnd.api+json',
      'APPLICATION/JSON',
      'application/json;;;',
      'text/html',
    )
    .map((ct) => payload(ct, serialize(base), `content-type ${ct}`));

  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(json(base, 'valid base')) },
    { weight: 8, arbitrary: replace },
    { weight: 2, arbitrary: drop },
    { weight: 3, arbitrary: add },
    { weight: 1, arbitrary: duplicate },
    { weight: 2, arbitrary: several },
    { weight: 3, arbitrary: wholeBody },
    { weight: 2, arbitrary: contentType },
  );
}

function safeUpdate(base: Node, p: Path, v: Node): Node {
  try {
    get(base, p);
    return update(base, p, () => v);
  } catch {
    return base; // an earlier change removed that position
  }
}

// ------------------------------------------------------------------------------------------------------
// URLs

/** Percent-encodes every byte of the UTF-8 form (a lone surrogate becomes U+FFFD, as a browser sends it). */
export function encodeAll(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Already-encoded path or query fragments that are themselves malformed or hostile. */
const rawUrlPieces = ['%FF', '%ED%A0%80', '%C0%AF', '%', '%zz', '%00', '%2e%2e%2f', '..', '%2F', '%0A', '%E2%80%AE', '%EF%BB%BF', '+', '%20'];

export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...rawUrlPieces),
  fc.uuid().map((u) => u),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `{${u}}`),
  adversarialString.filter((s) => s.length > 0 && s.length < 200).map(encodeAll),
);

export const queryValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: adversarialString.filter((s) => s.length < 200).map(encodeAll) },
  { weight: 2, arbitrary: fc.constantFrom(...numberTokens).map(encodeAll) },
  { weight: 1, arbitrary: fc.constantFrom(...rawUrlPieces) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** A query string: known parameter names (some repeated, which makes them arrays), plus strangers. */
export function queryArbitrary(names: string[], valid: (name: string) => string | undefined): fc.Arbitrary<string> {
  const name = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...(names.length ? names : ['q'])) },
    { weight: 1, arbitrary: adversarialKey.map(encodeAll) },
    { weight: 1, arbitrary: fc.constantFrom('limit[]', 'status[0]', 'a[b]', '__proto__[x]', 'constructor.prototype') },
  );
  const pair = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(name, queryValue) },
    { weight: 1, arbitrary: name.map((n) => [n, encodeAll(valid(n) ?? '')] as [string, string]) },
    { weight: 1, arbitrary: name.map((n) => [n, ''] as [string, string]) },
  );
  return fc
    .array(pair, { minLength: 0, maxLength: 5 })
    .chain((pairs) =>
      fc
        .boolean()
        .map((repeatFirst) => (repeatFirst && pairs.length ? [...pairs, pairs[0]] : pairs))
        .map((ps) => (ps.length ? `?${ps.map(([k, v]) => (v === '' && k.endsWith('[]') ? k : `${k}=${v}`)).join('&')}` : '')),
    );
}

/** Printable ASCII header values (Node refuses anything else before it is sent). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('"1"', '"0"', '"-1"', 'W/"1"', '*', '"1e309"', '"99999999999999999999"', '""', 'abc', '"a"', 'x'.repeat(200), ' ', 'key-12345678'),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 140 }),
);
