import type { NewEvent } from '../event-envelope';
import {
  EVENT_ID_MARKER_PREFIX,
  ForeignEventError,
  META_CONFIDENTIAL,
  META_METADATA,
  META_SCHEMA_VERSION,
  StreamNames,
  afterToReadPosition,
  commitToPosition,
  currentStateToVersion,
  decodeClaim,
  decodeEvent,
  encodeEvent,
  expectedVersionToState,
  revisionToVersion,
  versionToRevision,
  type RecordedLike,
} from './kurrentdb-mapping';

// The pure half of the KurrentDB adapter. These run everywhere; the adapter itself is proven only by the
// contract suite against a real server (kurrentdb-event-store.int-spec.ts, KURRENTDB_URL).

const event: NewEvent = {
  eventId: '0b9f7c1e-6a52-4d1e-9a57-2f3c8d1e4b60',
  type: 'lead.registered',
  schemaVersion: 3,
  data: { ledgerNo: 'LC-2026-0001', amounts: [0, 12345678901, -1], flag: false, nothing: null, text: '匿名 "quoted" \\ back' },
  confidential: { informant: { name: '李某', contact: '138 0000 0000' } },
  metadata: {
    occurredAt: '2026-03-02T09:15:00.123Z',
    actor: { userId: 'u-1', username: 'wang', role: 'agency', agency: 'audit-bureau' },
    correlationId: 'corr-1',
    causationId: 'cmd-1',
  },
};

/** What the client hands back for an event written with encodeEvent: JSON data and metadata parsed. */
function recorded(overrides: Partial<RecordedLike> = {}): RecordedLike {
  const enc = encodeEvent(event);
  return {
    streamId: 'ns/lead-1',
    id: enc.id,
    revision: 4n,
    type: enc.type,
    data: JSON.parse(JSON.stringify(enc.data)) as unknown,
    // KurrentDB 25.1's multi-stream append adds its own $schema.* keys to the metadata it stores
    metadata: { ...enc.metadata, '$schema.name': enc.type, '$schema.format': 'Json' },
    isJson: true,
    created: new Date('2026-03-02T09:15:01.000Z'),
    position: { commit: 123456n, prepare: 123456n },
    ...overrides,
  };
}

describe('KurrentDB mapping: versions', () => {
  it('version = revision + 1, both ways', () => {
    expect(revisionToVersion(0n)).toBe(1);
    expect(revisionToVersion(41n)).toBe(42);
    expect(versionToRevision(1)).toBe(0n);
    expect(versionToRevision(42)).toBe(41n);
    for (const v of [1, 2, 1000, 2 ** 40]) expect(revisionToVersion(versionToRevision(v))).toBe(v);
  });

  it('refuses versions and revisions outside the domain', () => {
    expect(() => versionToRevision(0)).toThrow(RangeError);
    expect(() => versionToRevision(1.5)).toThrow(RangeError);
    expect(() => revisionToVersion(-1n)).toThrow(RangeError);
    expect(() => revisionToVersion(2n ** 53n)).toThrow(RangeError);
  });

  it("maps expected versions: 0 = no_stream, 'any' = any, n = revision n - 1", () => {
    expect(expectedVersionToState(0)).toBe('no_stream');
    expect(expectedVersionToState('any')).toBe('any');
    expect(expectedVersionToState(1)).toBe(0n);
    expect(expectedVersionToState(7)).toBe(6n);
    expect(() => expectedVersionToState(-1)).toThrow(RangeError);
  });

  it('reads a conflicting stream state back as our version (no stream, deleted and tombstoned = 0)', () => {
    expect(currentStateToVersion('no_stream')).toBe(0);
    expect(currentStateToVersion(0n)).toBe(1);
    expect(currentStateToVersion(9n)).toBe(10);
    expect(currentStateToVersion(-5n)).toBe(0);
    expect(currentStateToVersion(-6n)).toBe(0);
  });
});

describe('KurrentDB mapping: positions', () => {
  it('the commit position is the numeric position, exactly, up to 2^53 - 1', () => {
    expect(commitToPosition(0n)).toBe(0);
    expect(commitToPosition(123456789n)).toBe(123456789);
    expect(commitToPosition(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses commit positions a number cannot hold exactly, instead of rounding', () => {
    expect(() => commitToPosition(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(/2\^53/);
    expect(() => commitToPosition(2n ** 64n - 1n)).toThrow(RangeError); // the "unknown position" sentinel
    expect(() => commitToPosition(-1n)).toThrow(RangeError);
  });

  it('"after 0" reads $all from the start; "after p" from the record at p (callers drop p itself)', () => {
    expect(afterToReadPosition(0)).toBe('start');
    expect(afterToReadPosition(4242)).toEqual({ commit: 4242n, prepare: 4242n });
    expect(() => afterToReadPosition(-1)).toThrow(RangeError);
    expect(() => afterToReadPosition(1.5)).toThrow(RangeError);
  });
});

describe('KurrentDB mapping: stream names', () => {
  it('prefixes application streams with the namespace and strips it back', () => {
    const n = new StreamNames('county-a/');
    expect(n.data('lead-1')).toBe('county-a/lead-1');
    expect(n.fromServer('county-a/lead-1')).toBe('lead-1');
    expect(n.marker('abc')).toBe(`county-a/${EVENT_ID_MARKER_PREFIX}abc`);
    expect(new StreamNames('').data('lead-1')).toBe('lead-1');
  });

  it('does not take other namespaces, markers or system streams for ours', () => {
    const n = new StreamNames('county-a/');
    expect(n.fromServer('county-b/lead-1')).toBeUndefined();
    expect(n.fromServer(n.marker('abc'))).toBeUndefined();
    expect(n.fromServer('county-a/$stats')).toBeUndefined();
    const root = new StreamNames('');
    expect(root.fromServer('$ce-lead')).toBeUndefined();
    expect(root.fromServer('$$lead-1')).toBeUndefined();
    expect(root.fromServer(root.marker('abc'))).toBeUndefined();
    expect(root.fromServer('lead-1')).toBe('lead-1');
  });

  it('refuses stream ids and namespaces that would collide with system or marker streams', () => {
    expect(() => new StreamNames('').data('$all')).toThrow(RangeError);
    expect(() => new StreamNames('').data(`${EVENT_ID_MARKER_PREFIX}x`)).toThrow(RangeError);
    expect(() => new StreamNames('$ns')).toThrow(RangeError);
  });

  it('the server-side $all filter keeps exactly our data streams (regex checked here with the JS engine; .NET accepts the same syntax)', () => {
    for (const [ns, ours, foreign] of [
      ['county-a/', ['county-a/lead-1', 'county-a/group'], ['county-b/lead-1', 'lead-1', 'county-a/$x', `county-a/${EVENT_ID_MARKER_PREFIX}1`, '$ce-lead']],
      ['', ['lead-1', 'case-2', 'group'], ['$ce-lead', '$$lead-1', `${EVENT_ID_MARKER_PREFIX}1`]],
      ['t.1+(x)', ['t.1+(x)lead-1'], ['tx1+(x)lead-1', 't.1+(x)$x']],
    ] as const) {
      const re = new RegExp(new StreamNames(ns).allFilterRegex);
      for (const s of ours) expect([s, re.test(s)]).toEqual([s, true]);
      for (const s of foreign) expect([s, re.test(s)]).toEqual([s, false]);
    }
  });
});

describe('KurrentDB mapping: event encoding', () => {
  it('puts data as JSON and our envelope into flat string-valued metadata (what multi-stream append accepts)', () => {
    const enc = encodeEvent(event);
    expect(enc).toMatchObject({ id: event.eventId, type: 'lead.registered', data: event.data });
    expect(Object.values(enc.metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(enc.metadata[META_SCHEMA_VERSION]).toBe('3');
    expect(JSON.parse(enc.metadata[META_METADATA] as string)).toEqual(event.metadata);
  });

  it('keeps confidential under its own key, and only when present', () => {
    expect(JSON.parse(encodeEvent(event).metadata[META_CONFIDENTIAL] as string)).toEqual(event.confidential);
    expect(encodeEvent({ ...event, confidential: null }).metadata).not.toHaveProperty(META_CONFIDENTIAL);
    expect(encodeEvent({ ...event, confidential: undefined }).metadata).not.toHaveProperty(META_CONFIDENTIAL);
  });

  it('refuses $-prefixed event types (KurrentDB system events)', () => {
    expect(() => encodeEvent({ ...event, type: '$metadata' })).toThrow(RangeError);
  });

  it('round-trips: decode(encode(e)) is the stored envelope, whatever extra keys the server added', () => {
    const s = decodeEvent(recorded(), 'lead-1');
    expect(s).toEqual({
      ...event,
      streamId: 'lead-1',
      streamVersion: 5,
      position: 123456,
      recordedAt: '2026-03-02T09:15:01.000Z',
    });
  });

  it('an event without confidential decodes without the key', () => {
    const enc = encodeEvent({ ...event, confidential: null });
    const s = decodeEvent(recorded({ metadata: enc.metadata }), 'lead-1');
    expect(s).not.toHaveProperty('confidential');
  });

  it('decodes data and metadata the client could not parse (bytes)', () => {
    const enc = encodeEvent(event);
    const s = decodeEvent(
      recorded({ isJson: false, data: Buffer.from(JSON.stringify(enc.data)), metadata: Uint8Array.from(Buffer.from(JSON.stringify(enc.metadata))) }),
      'lead-1',
    );
    expect(s.data).toEqual(event.data);
    expect(s.metadata).toEqual(event.metadata);
  });

  it('refuses events not written by this adapter instead of inventing an envelope', () => {
    expect(() => decodeEvent(recorded({ metadata: undefined }), 'x')).toThrow(ForeignEventError);
    expect(() => decodeEvent(recorded({ metadata: { [META_METADATA]: '{}' } }), 'x')).toThrow(ForeignEventError);
    expect(() => decodeEvent(recorded({ metadata: { [META_SCHEMA_VERSION]: '1' } }), 'x')).toThrow(ForeignEventError);
  });

  it('refuses an event without a log position (servers before 22.6)', () => {
    expect(() => decodeEvent(recorded({ position: undefined }), 'lead-1')).toThrow(/22\.6/);
  });

  it('decodes event-id markers and refuses malformed ones', () => {
    expect(decodeClaim({ streamId: 'lead-1', streamVersion: 3 })).toEqual({ streamId: 'lead-1', streamVersion: 3 });
    expect(decodeClaim(Buffer.from('{"streamId":"a","streamVersion":1}'))).toEqual({ streamId: 'a', streamVersion: 1 });
    expect(() => decodeClaim({ streamId: 'lead-1' })).toThrow(/malformed/);
    expect(() => decodeClaim(null)).toThrow(/malformed/);
  });
});
