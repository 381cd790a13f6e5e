/**
 * An input line as the pipeline carries it: bytes (one Kafka message each). event.ts's first two
 * rules are about the bytes, before any JSON: a line over MAX_LINE_BYTES is too_large, a line that
 * is not valid UTF-8 is not_utf8.
 *
 * A line is handed around as a string when it is text and as its bytes (a Uint8Array, a Buffer
 * from a file) when it is not valid UTF-8, so nothing decodes it on the way: a string's bytes are
 * its UTF-8 (as kafkajs writes it), and valid UTF-8 decoded and encoded again gives the same bytes.
 * Generated datasets are strings; a file read with splitLines gives both.
 */
import { type AnyDlqReason, DLQ_PREFIX_BYTES } from './event.ts';

export type InputLine = string | Uint8Array;

/** Strict: a malformed sequence throws (the WHATWG decoder; it agrees with Java's on what is malformed). A BOM is kept, not eaten. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** For previews only: a malformed sequence becomes U+FFFD. */
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8 = new TextEncoder();

/**
 * The bytes Kafka carries for a line. A string's UTF-8; a lone UTF-16 surrogate, which has no UTF-8
 * form, is written as U+FFFD (EF BF BD), as Node's Buffer and TextEncoder write it.
 */
export function lineBytes(line: InputLine): Uint8Array {
  return typeof line === 'string' ? utf8.encode(line) : line;
}

export function lineByteLength(line: InputLine): number {
  return typeof line === 'string' ? Buffer.byteLength(line, 'utf8') : line.byteLength;
}

/** The text of a line as a consumer decodes its bytes; undefined when they are not valid UTF-8. */
export function lineText(line: InputLine): string | undefined {
  if (typeof line === 'string') return line.isWellFormed() ? line : line.toWellFormed();
  try {
    return strictUtf8.decode(line);
  } catch {
    return undefined;
  }
}

/**
 * Splits a JSON-lines input into lines: on "\n" (0x0A) only, dropping one trailing empty line (the
 * final newline). Everything else stays as is: a "\r" before the "\n" remains part of its line (the
 * validator tolerates it), and an empty line in the middle is a line (an empty message: not_json).
 * An empty input has no lines. From bytes (a file), each line is its text when it is valid UTF-8,
 * else its bytes, untouched.
 */
export function splitLines(input: string): string[];
export function splitLines(input: Uint8Array): InputLine[];
export function splitLines(input: string | Uint8Array): InputLine[] {
  if (typeof input === 'string') {
    const lines = input.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
  const lines: InputLine[] = [];
  let start = 0;
  for (let nl = input.indexOf(0x0a); nl >= 0; nl = input.indexOf(0x0a, start)) {
    lines.push(asLine(input.subarray(start, nl)));
    start = nl + 1;
  }
  if (start < input.length) lines.push(asLine(input.subarray(start)));
  return lines;
}

function asLine(bytes: Uint8Array): InputLine {
  return lineText(bytes) ?? bytes;
}

/**
 * The start of a line, at most `maxBytes` bytes, cut before a character rather than inside it, as
 * text (a malformed byte shows as U+FFFD): what a too_large line's DLQ record keeps.
 */
export function linePrefix(line: InputLine, maxBytes = DLQ_PREFIX_BYTES): string {
  const bytes = lineBytes(line);
  let end = Math.min(bytes.length, maxBytes);
  // A UTF-8 character is at most 4 bytes: back up over at most 3 continuation bytes (10xxxxxx).
  for (let k = 0; k < 3 && end > 0 && end < bytes.length && ((bytes[end] as number) & 0xc0) === 0x80; k++) end--;
  return lenientUtf8.decode(bytes.subarray(0, end));
}

/** A DLQ record: `{payload, reason}`, and for too_large the line's length in bytes. */
export interface DlqRecord {
  payload: string;
  reason: AnyDlqReason;
  bytes?: number;
}

/**
 * What the DLQ holds for a line rejected with `reason`: the line's text; for not_utf8 its bytes in
 * base64 (text cannot hold them, and decoding would change them); for too_large its byte length
 * and a prefix (linePrefix), since the line itself is what Kafka cannot carry.
 */
export function dlqRecord(line: InputLine, reason: AnyDlqReason): DlqRecord {
  if (reason === 'too_large') return { payload: linePrefix(line), reason, bytes: lineByteLength(line) };
  if (reason === 'not_utf8') {
    const b = lineBytes(line);
    return { payload: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'), reason };
  }
  return { payload: lineText(line) ?? '', reason };
}
