import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CtrEvent, type DlqReason, MAX_LINE_BYTES } from '../../src/ctr/event.ts';
import type { InputLine } from '../../src/ctr/line.ts';
import { validateLine } from '../../src/ctr/validate.ts';

const GOOD = { event_id: 'e1', user_id: 'u1', product_id: 'p01', event_type: 'impression', ts: 1_700_000_000_000 };
/** GOOD with some fields replaced (undefined: removed), written by JSON.stringify. */
function line(overrides: Record<string, unknown> = {}): string {
  const obj: Record<string, unknown> = { ...GOOD, ...overrides };
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return JSON.stringify(obj);
}
/** A line whose ts is written exactly as `raw`. */
function tsLine(raw: string): string {
  return `{"event_id":"e1","user_id":"u1","product_id":"p01","event_type":"click","ts":${raw}}`;
}

function reasonOf(text: InputLine): DlqReason | 'ok' {
  const r = validateLine(text);
  return r.ok ? 'ok' : r.reason;
}

const DLQ_CASES: [string, string, DlqReason][] = [
  // not_json: unparseable, or a JSON value that is not an object
  ['empty line', '', 'not_json'],
  ['only whitespace', '   \r', 'not_json'],
  ['plain text', 'hello world', 'not_json'],
  // A lone surrogate has no UTF-8 form: Flink would turn it into '?', merging distinct ids.
  ['lone surrogate in a value', '{"event_id":"e\\ud800","user_id":"u1","product_id":"p01","event_type":"click","ts":1}', 'not_json'],
  ['lone surrogate in a key', '{"\\udc00":1,"event_id":"e1","user_id":"u1","product_id":"p01","event_type":"click","ts":1}', 'not_json'],
  ['truncated object', '{"event_id":"e1","user_id":"u1","prod', 'not_json'],
  ['trailing comma', '{"event_id":"e1",}', 'not_json'],
  ['single quotes', "{'event_id':'e1'}", 'not_json'],
  ['array of an event', `[${line()}]`, 'not_json'],
  ['JSON string', '"impression"', 'not_json'],
  ['JSON number', '1700000000000', 'not_json'],
  ['JSON null', 'null', 'not_json'],
  ['JSON true', 'true', 'not_json'],
  ['two objects on one line', `${line()}${line()}`, 'not_json'],
  ['leading BOM (not JSON whitespace)', `\uFEFF${line()}`, 'not_json'],
  ['leading zero in ts (not JSON at all)', tsLine('0123'), 'not_json'],
  ['NaN as ts (not JSON)', tsLine('NaN'), 'not_json'],
  // bad_event_id
  ['missing event_id', line({ event_id: undefined }), 'bad_event_id'],
  ['empty event_id', line({ event_id: '' }), 'bad_event_id'],
  ['numeric event_id', line({ event_id: 5 }), 'bad_event_id'],
  ['null event_id', line({ event_id: null }), 'bad_event_id'],
  ['object event_id', line({ event_id: { id: 'e1' } }), 'bad_event_id'],
  ['empty object: first rule after not_json wins', '{}', 'bad_event_id'],
  // bad_user_id
  ['missing user_id', line({ user_id: undefined }), 'bad_user_id'],
  ['empty user_id', line({ user_id: '' }), 'bad_user_id'],
  ['numeric user_id', line({ user_id: 42 }), 'bad_user_id'],
  ['array user_id', line({ user_id: ['u1'] }), 'bad_user_id'],
  // bad_product_id
  ['missing product_id', line({ product_id: undefined }), 'bad_product_id'],
  ['empty product_id', line({ product_id: '' }), 'bad_product_id'],
  ['numeric product_id', line({ product_id: 7 }), 'bad_product_id'],
  ['boolean product_id', line({ product_id: false }), 'bad_product_id'],
  // bad_event_type
  ['missing event_type', line({ event_type: undefined }), 'bad_event_type'],
  ['event_type view', line({ event_type: 'view' }), 'bad_event_type'],
  ['event_type in capitals', line({ event_type: 'Click' }), 'bad_event_type'],
  ['event_type with a space', line({ event_type: 'click ' }), 'bad_event_type'],
  ['event_type empty', line({ event_type: '' }), 'bad_event_type'],
  ['event_type as an array', line({ event_type: ['click'] }), 'bad_event_type'],
  // bad_ts: judged by how the number is written
  ['missing ts', line({ ts: undefined }), 'bad_ts'],
  ['ts null', line({ ts: null }), 'bad_ts'],
  // Past 9999-12-31T23:59:59.999Z Flink's TO_TIMESTAMP_LTZ gives NULL: no event time.
  ['ts one ms past the last representable instant', tsLine('253402300800000'), 'bad_ts'],
  ['ts with 15 nines', tsLine('999999999999999'), 'bad_ts'],
  ['ts as string', tsLine('"1700000000000"'), 'bad_ts'],
  ['ts negative', tsLine('-5'), 'bad_ts'],
  ['ts minus zero', tsLine('-0'), 'bad_ts'],
  ['ts fractional', tsLine('1700000000000.5'), 'bad_ts'],
  ['ts whole but written with .0', tsLine('1.0'), 'bad_ts'],
  ['ts with exponent', tsLine('1e3'), 'bad_ts'],
  ['ts with capital exponent', tsLine('1E3'), 'bad_ts'],
  ['ts with exponent and sign', tsLine('1.7e+12'), 'bad_ts'],
  ['ts with 16 digits', tsLine('1000000000000000'), 'bad_ts'],
  ['ts as object', tsLine('{"ms":5}'), 'bad_ts'],
  ['ts as array', tsLine('[5]'), 'bad_ts'],
  ['ts true', tsLine('true'), 'bad_ts'],
];

for (const [name, text, reason] of DLQ_CASES) {
  test(`DLQ ${reason}: ${name}`, () => {
    assert.equal(reasonOf(text), reason);
  });
}

test('the first failing rule wins, in the order of event.ts', () => {
  // every field bad: event_id is checked first
  assert.equal(reasonOf('{"event_id":1,"user_id":2,"product_id":3,"event_type":4,"ts":-1}'), 'bad_event_id');
  assert.equal(reasonOf('{"event_id":"e","user_id":2,"product_id":3,"event_type":4,"ts":-1}'), 'bad_user_id');
  assert.equal(reasonOf('{"event_id":"e","user_id":"u","product_id":3,"event_type":4,"ts":-1}'), 'bad_product_id');
  assert.equal(reasonOf('{"event_id":"e","user_id":"u","product_id":"p","event_type":4,"ts":-1}'), 'bad_event_type');
  assert.equal(reasonOf('{"event_id":"e","user_id":"u","product_id":"p","event_type":"click","ts":-1}'), 'bad_ts');
});

const VALID_CASES: [string, string, CtrEvent][] = [
  ['the plain event', line(), { ...GOOD, event_type: 'impression' }],
  ['a click', line({ event_type: 'click' }), { ...GOOD, event_type: 'click' }],
  ['with campaign_id', line({ campaign_id: 'spring' }), { ...GOOD, event_type: 'impression', campaign_id: 'spring' }],
  [
    'extra fields are ignored',
    line({ user_agent: 'ios/7', schema_version: 3, geo: { country: 'DE' } }),
    { ...GOOD, event_type: 'impression' },
  ],
  ['a nested "ts" written badly does not matter', line({ meta: { ts: 1.5 } }).replace('"ts":1.5', '"ts":1.5e3'), { ...GOOD, event_type: 'impression' }],
  ['ts = 0', tsLine('0'), { ...GOOD, event_type: 'click', ts: 0 }],
  ['ts with 15 digits, the last representable instant', tsLine('253402300799999'), { ...GOOD, event_type: 'click', ts: 253_402_300_799_999 }],
  ['ts with 1 digit', tsLine('7'), { ...GOOD, event_type: 'click', ts: 7 }],
  ['CRLF ending', `${line()}\r`, { ...GOOD, event_type: 'impression' }],
  ['whitespace around and inside', ` \t{ "event_id" : "e1", "user_id":"u1" ,"product_id":"p01","event_type":"impression","ts" : 1700000000000 } \r\n`, { ...GOOD, event_type: 'impression' }],
  ['unicode product_id', line({ product_id: 'prodüct-☃' }), { ...GOOD, event_type: 'impression', product_id: 'prodüct-☃' }],
  ['emoji product_id', line({ product_id: '🚀👍🏽' }), { ...GOOD, event_type: 'impression', product_id: '🚀👍🏽' }],
  ['quotes and backslash in product_id', line({ product_id: `say "hi" it's \\o/` }), { ...GOOD, event_type: 'impression', product_id: `say "hi" it's \\o/` }],
  ['\\u escapes in product_id', tsLine('1').replace('"p01"', '"p\\u00fc\\ud83d\\ude80"'), { ...GOOD, event_type: 'click', ts: 1, product_id: 'pü🚀' }],
  ['whitespace-only ids are non-empty strings', line({ event_id: ' ', user_id: '\t', product_id: ' ' }), { ...GOOD, event_type: 'impression', event_id: ' ', user_id: '\t', product_id: ' ' }],
  ['a "__proto__" key is just an extra field', `{"__proto__":{"event_id":"x"},${line().slice(1)}`, { ...GOOD, event_type: 'impression' }],
];

for (const [name, text, event] of VALID_CASES) {
  test(`valid: ${name}`, () => {
    assert.deepEqual(validateLine(text), { ok: true, event });
  });
}

test('campaign_id that is not a string is treated as absent (no DLQ reason covers it)', () => {
  assert.deepEqual(validateLine(line({ campaign_id: 17 })), { ok: true, event: { ...GOOD, event_type: 'impression' } });
  assert.deepEqual(validateLine(line({ campaign_id: null })), { ok: true, event: { ...GOOD, event_type: 'impression' } });
});

test('duplicate keys: the last one counts, also for how ts is written', () => {
  const head = '{"event_id":"e1","user_id":"u1","product_id":"p01","event_type":"click"';
  assert.equal(reasonOf(`${head},"ts":1.0,"ts":5}`), 'ok');
  assert.deepEqual(validateLine(`${head},"ts":1.0,"ts":5}`), { ok: true, event: { ...GOOD, event_type: 'click', ts: 5 } });
  assert.equal(reasonOf(`${head},"ts":5,"ts":1.0}`), 'bad_ts');
  assert.equal(reasonOf(`${head},"ts":5,"ts":"5"}`), 'bad_ts');
  assert.equal(reasonOf(`{"event_id":"","event_id":"e2","user_id":"u1","product_id":"p01","event_type":"click","ts":5}`), 'ok');
  assert.equal(reasonOf(`{"event_id":"e2","event_id":"","user_id":"u1","product_id":"p01","event_type":"click","ts":5}`), 'bad_event_id');
});

test('the returned event has only the model fields, as fresh values', () => {
  const r = validateLine(line({ extra: 1, campaign_id: 'c' }));
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.event).sort(), ['campaign_id', 'event_id', 'event_type', 'product_id', 'ts', 'user_id']);
});

// The byte rules come first (event.ts): too_large, then not_utf8, then the text's rules.
/** A valid event of exactly `n` bytes of UTF-8: GOOD with a padding field. */
function lineOfBytes(n: number, pad = 'x'): string {
  const base = line({ pad: '' });
  const fill = n - Buffer.byteLength(base);
  assert.ok(fill >= 0 && fill % Buffer.byteLength(pad) === 0);
  return line({ pad: pad.repeat(fill / Buffer.byteLength(pad)) });
}

test('too_large: a line over MAX_LINE_BYTES bytes, counted in UTF-8 bytes, not characters', () => {
  assert.equal(Buffer.byteLength(lineOfBytes(MAX_LINE_BYTES)), MAX_LINE_BYTES);
  assert.equal(reasonOf(lineOfBytes(MAX_LINE_BYTES)), 'ok');
  assert.equal(reasonOf(lineOfBytes(MAX_LINE_BYTES + 1)), 'too_large');
  const wide = lineOfBytes(MAX_LINE_BYTES + 1 + ((MAX_LINE_BYTES + 1 - Buffer.byteLength(line({ pad: '' }))) % 2), 'é');
  assert.ok(wide.length < MAX_LINE_BYTES, 'fewer characters than the limit');
  assert.equal(reasonOf(wide), 'too_large');
  assert.equal(reasonOf(`${lineOfBytes(MAX_LINE_BYTES - 1)}\r`), 'ok', 'the CR of a CRLF file counts');
  assert.equal(reasonOf(`${lineOfBytes(MAX_LINE_BYTES)}\r`), 'too_large');
  assert.equal(reasonOf(Buffer.alloc(MAX_LINE_BYTES + 1, 0xff)), 'too_large', 'too_large comes before not_utf8');
  assert.equal(reasonOf('x'.repeat(2_000_000)), 'too_large');
});

test('not_utf8: bytes that do not decode, before any JSON rule; valid UTF-8 bytes are judged as text', () => {
  const utf8 = (s: string) => Buffer.from(s);
  const withId = (id: Buffer) => Buffer.concat([utf8('{"event_id":"'), id, utf8('","user_id":"u1","product_id":"p01","event_type":"click","ts":1}')]);
  assert.equal(reasonOf(withId(Buffer.from([0x78, 0xc3, 0x28]))), 'not_utf8');
  assert.equal(reasonOf(withId(Buffer.from([0x78, 0xff, 0x28]))), 'not_utf8');
  assert.equal(reasonOf(withId(Buffer.from([0xed, 0xa0, 0x80]))), 'not_utf8', 'an encoded surrogate (CESU-8)');
  assert.equal(reasonOf(withId(Buffer.from([0xc0, 0xa2]))), 'not_utf8', 'an overlong quote');
  assert.equal(reasonOf(Buffer.from([0xff, 0x7b, 0x7d])), 'not_utf8', 'not_utf8 comes before not_json');
  assert.equal(reasonOf(withId(Buffer.from([0x78, 0xc3, 0xa9]))), 'ok');
  assert.deepEqual(validateLine(withId(utf8('x\uFFFD('))), { ok: true, event: { ...GOOD, event_id: 'x\uFFFD(', event_type: 'click', ts: 1 } }, 'a real U+FFFD is valid');
});

test('what worked as text keeps its reason as bytes: BOM, empty line, raw NUL, deep nesting, 1e400, CRLF', () => {
  const cases: [string, DlqReason | 'ok'][] = [
    [`\uFEFF${line()}`, 'not_json'],
    ['', 'not_json'],
    [line({ product_id: 'p' }).replace('"p"', '"p\u0000"'), 'not_json'],
    [`${'['.repeat(5_000)}${']'.repeat(5_000)}`, 'not_json'],
    [tsLine('1e400'), 'bad_ts'],
    [`${line()}\r`, 'ok'],
  ];
  for (const [text, reason] of cases) {
    assert.equal(reasonOf(text), reason, JSON.stringify(text.slice(0, 40)));
    assert.deepEqual(validateLine(Buffer.from(text)), validateLine(text), 'the same as bytes');
  }
});
