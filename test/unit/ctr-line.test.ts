/** Lines as bytes: how a file becomes lines, what a line's text is, and what the DLQ keeps of it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DLQ_PREFIX_BYTES } from '../../src/ctr/event.ts';
import { dlqRecord, lineByteLength, lineBytes, linePrefix, lineText, splitLines } from '../../src/ctr/line.ts';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

test('splitLines on bytes: split on 0x0A only, a final newline starts no line, an empty line is a line', () => {
  assert.deepEqual(splitLines(bytes('')), []);
  assert.deepEqual(splitLines(bytes('a')), ['a']);
  assert.deepEqual(splitLines(bytes('a\n')), ['a']);
  assert.deepEqual(splitLines(bytes('a\n\nb\n')), ['a', '', 'b']);
  assert.deepEqual(splitLines(bytes('a\n\n')), ['a', '']);
  assert.deepEqual(splitLines(bytes('\n')), ['']);
  assert.deepEqual(splitLines(bytes('a\r\nb\r\n')), ['a\r', 'b\r'], 'CR stays part of its line');
  assert.deepEqual(splitLines(bytes('a\rb\u2028c\u0085d\n')), ['a\rb\u2028c\u0085d'], 'no other line break splits');
});

test('splitLines on bytes gives the same lines as on text, for any text', () => {
  const text = '\uFEFF{"a":1}\r\n\n{"b":"\u0000 nul"}\n\u{1F680}\n';
  assert.deepEqual(splitLines(Buffer.from(text)), splitLines(text));
});

test('a line that is not UTF-8 stays bytes, untouched; the others become text (a BOM kept)', () => {
  const lines = splitLines(bytes('ok\n', 'x', [0xc3, 0x28], '\n', [0xef, 0xbb, 0xbf], 'bom\n', 'tail', [0xe2, 0x82]));
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'ok');
  assert.ok(lines[1] instanceof Uint8Array);
  assert.deepEqual([...(lines[1] as Uint8Array)], [0x78, 0xc3, 0x28]);
  assert.equal(lines[2], '\uFEFFbom');
  assert.deepEqual([...(lines[3] as Uint8Array)], [...bytes('tail', [0xe2, 0x82])], 'a cut-off character at the end of the file');
});

test('lineText: undefined for every kind of malformed UTF-8, the text for valid UTF-8', () => {
  const malformed = [[0x78, 0xc3, 0x28], [0xc0, 0x80], [0xe0, 0x80, 0x8f], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xff], [0x80], [0xc3], [0xe2, 0x82]];
  for (const m of malformed) assert.equal(lineText(Uint8Array.from(m)), undefined, Buffer.from(m).toString('hex'));
  assert.equal(lineText(Uint8Array.from([0x78, 0xc3, 0xa9])), 'xé');
  assert.equal(lineText(Uint8Array.from([0xf0, 0x9f, 0x9a, 0x80, 0x00])), '\u{1F680}\u0000');
});

test('a string is its UTF-8; a lone surrogate, which has none, is written as U+FFFD as Kafka receives it', () => {
  assert.deepEqual([...lineBytes('é')], [0xc3, 0xa9]);
  assert.deepEqual([...lineBytes('a\ud800')], [0x61, 0xef, 0xbf, 0xbd]);
  assert.equal(lineText('a\ud800'), 'a\uFFFD');
  assert.equal(lineByteLength('a\ud800'), 4);
  assert.equal(lineByteLength('\u{1F680}'), 4);
  assert.equal(lineByteLength(Uint8Array.from([1, 2, 3])), 3);
});

test('linePrefix: at most the first N bytes, never half a character', () => {
  assert.equal(linePrefix('abcdef', 4), 'abcd');
  assert.equal(linePrefix('ab', 4), 'ab');
  assert.equal(linePrefix('aéb', 2), 'a', 'é is 2 bytes: cut before it');
  assert.equal(linePrefix('aéb', 3), 'aé');
  assert.equal(linePrefix('a\u{1F680}b', 4), 'a', 'a 4-byte character is not cut');
  assert.equal(linePrefix('a\u{1F680}b', 5), 'a\u{1F680}');
  assert.equal(linePrefix(Uint8Array.from([0x61, 0xff, 0x62, 0x63]), 3), 'a\uFFFDb', 'a malformed byte shows as U+FFFD');
  assert.equal(Buffer.byteLength(linePrefix('é'.repeat(DLQ_PREFIX_BYTES))), DLQ_PREFIX_BYTES);
  assert.equal(Buffer.byteLength(linePrefix(`x${'é'.repeat(DLQ_PREFIX_BYTES)}`)), DLQ_PREFIX_BYTES - 1);
});

test('dlqRecord: the text; base64 of the bytes for not_utf8; a prefix and the length for too_large', () => {
  assert.deepEqual(dlqRecord('not json\r', 'not_json'), { payload: 'not json\r', reason: 'not_json' });
  assert.deepEqual(dlqRecord(Uint8Array.from([0x78, 0xc3, 0x28]), 'not_utf8'), { payload: 'eMMo', reason: 'not_utf8' });
  const big = `{"event_id":"${'x'.repeat(2_000_000)}"}`;
  assert.deepEqual(dlqRecord(big, 'too_large'), { payload: big.slice(0, DLQ_PREFIX_BYTES), reason: 'too_large', bytes: 2_000_015 });
  const view = Buffer.from('--\u00ff--').subarray(2, 4);
  assert.deepEqual(dlqRecord(view, 'not_utf8'), { payload: Buffer.from([0xc3, 0xbf]).toString('base64'), reason: 'not_utf8' }, 'a view encodes its own bytes only');
});
