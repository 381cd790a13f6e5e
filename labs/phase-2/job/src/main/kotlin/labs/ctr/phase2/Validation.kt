package labs.ctr.phase2

import com.fasterxml.jackson.core.JsonFactory
import com.fasterxml.jackson.core.JsonParser
import com.fasterxml.jackson.core.JsonToken
import com.fasterxml.jackson.core.StreamReadConstraints
import java.nio.ByteBuffer
import java.nio.charset.CharacterCodingException
import java.nio.charset.CodingErrorAction
import java.nio.charset.StandardCharsets

/** What validation says of one line: the event, or the DLQ reason (event.ts, in its order). */
sealed interface Validated {
    data class Valid(val event: CtrEvent) : Validated
    data class Invalid(val reason: String) : Validated
}

/**
 * The rules of src/ctr/event.ts from not_utf8 on (too_large is the producer's: such a line never
 * reaches the input topic), written to agree with src/ctr/validate.ts, which reads the line with
 * JSON.parse. One streaming pass of Jackson over the text, no tree: that is what makes this cheaper
 * than phase 1's SQL, which calls the JSON functions some 40 times per line.
 *
 * Where Jackson and JSON.parse differ, this code follows JSON.parse:
 * - trailing text after the value is an error (Jackson would stop after the first value);
 * - a BOM is not whitespace (Jackson skips one);
 * - a string or key holding a lone UTF-16 surrogate (from a \ud800 escape) is not_json;
 * - no limit on number length or nesting depth (Jackson 2.15 has defaults; JSON.parse has none
 *   but the stack: lines nested deeper than about 2,800 levels differ, as in phase 1's SQL);
 * - duplicate keys: the last one wins.
 */
object Validation {
    private val factory: JsonFactory = JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(Int.MAX_VALUE)
                .maxNumberLength(Int.MAX_VALUE)
                .maxStringLength(Int.MAX_VALUE)
                .build(),
        )
        .build()

    private val TS_TOKEN = Regex("^[0-9]{1,15}$")

    /** The line's text when its bytes are valid UTF-8, else null (not_utf8). */
    fun utf8(bytes: ByteArray): String? =
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString()
        } catch (e: CharacterCodingException) {
            null
        }

    fun validate(bytes: ByteArray): Validated {
        val text = utf8(bytes) ?: return Validated.Invalid("not_utf8")
        return validateText(text)
    }

    /** A top-level field's last value: its token and text (null for objects and arrays). */
    private class Field(val token: JsonToken, val text: String?)

    fun validateText(text: String): Validated {
        if (text.startsWith('\uFEFF')) return Validated.Invalid("not_json")
        val fields = HashMap<String, Field>(8)
        try {
            factory.createParser(text).use { p ->
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    // Any other value (or none) is not an object; still parse it whole, as JSON.parse would, for nothing else matters.
                    return Validated.Invalid("not_json")
                }
                readObject(p, fields)
                if (p.nextToken() != null) return Validated.Invalid("not_json")
            }
        } catch (e: Exception) {
            // Jackson's JsonParseException and our lone-surrogate check: the line is not JSON we can carry.
            return Validated.Invalid("not_json")
        }
        val eventId = nonEmptyString(fields["event_id"]) ?: return Validated.Invalid("bad_event_id")
        val userId = nonEmptyString(fields["user_id"]) ?: return Validated.Invalid("bad_user_id")
        val productId = nonEmptyString(fields["product_id"]) ?: return Validated.Invalid("bad_product_id")
        val type = fields["event_type"]
        val click = when {
            type?.token == JsonToken.VALUE_STRING && type.text == "impression" -> false
            type?.token == JsonToken.VALUE_STRING && type.text == "click" -> true
            else -> return Validated.Invalid("bad_event_type")
        }
        val tsField = fields["ts"]
        if (tsField == null || tsField.token != JsonToken.VALUE_NUMBER_INT || !TS_TOKEN.matches(tsField.text!!)) return Validated.Invalid("bad_ts")
        val ts = tsField.text.toLong()
        if (ts > MAX_TS) return Validated.Invalid("bad_ts")
        val campaign = fields["campaign_id"]?.takeIf { it.token == JsonToken.VALUE_STRING }?.text
        return Validated.Valid(CtrEvent(eventId, userId, productId, click, ts, campaign))
    }

    private fun nonEmptyString(f: Field?): String? = if (f != null && f.token == JsonToken.VALUE_STRING && !f.text.isNullOrEmpty()) f.text else null

    /** Reads the root object's fields (after its START_OBJECT) up to its END_OBJECT, checking every nested string. */
    private fun readObject(p: JsonParser, fields: HashMap<String, Field>) {
        while (true) {
            val t = p.nextToken()
            if (t == JsonToken.END_OBJECT) return
            val name = p.currentName()
            checkWellFormed(name)
            when (val v = p.nextToken()) {
                JsonToken.START_OBJECT, JsonToken.START_ARRAY -> {
                    skipChecking(p)
                    fields[name] = Field(v, null)
                }
                JsonToken.VALUE_STRING -> {
                    val s = p.text
                    checkWellFormed(s)
                    fields[name] = Field(v, s)
                }
                else -> fields[name] = Field(v!!, p.text)
            }
        }
    }

    /** Skips a nested object or array (after its start token), checking its keys and strings for lone surrogates. */
    private fun skipChecking(p: JsonParser) {
        var depth = 1
        while (depth > 0) {
            when (p.nextToken()) {
                JsonToken.START_OBJECT, JsonToken.START_ARRAY -> depth++
                JsonToken.END_OBJECT, JsonToken.END_ARRAY -> depth--
                JsonToken.FIELD_NAME -> checkWellFormed(p.currentName())
                JsonToken.VALUE_STRING -> checkWellFormed(p.text)
                null -> throw IllegalStateException("unexpected end")
                else -> {}
            }
        }
    }

    /** A string with an unpaired UTF-16 surrogate has no UTF-8 form (String.isWellFormed in JS). */
    private fun checkWellFormed(s: String) {
        var i = 0
        while (i < s.length) {
            val c = s[i]
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length || !Character.isLowSurrogate(s[i + 1])) throw IllegalStateException("lone surrogate")
                i += 2
                continue
            }
            if (Character.isLowSurrogate(c)) throw IllegalStateException("lone surrogate")
            i++
        }
    }
}
