package labs.ctr.phase2

import com.fasterxml.jackson.core.JsonFactory
import com.fasterxml.jackson.core.JsonGenerator
import java.io.StringWriter
import java.util.Base64

/**
 * The JSON the job writes to its four topics, field for field as phase 1's SQL writes them
 * (labs/phase-1/sql/README.md "Outputs"), so the lab's collect step and ClickHouse read both alike.
 */
object Records {
    private val factory = JsonFactory()

    private inline fun json(write: JsonGenerator.() -> Unit): String {
        val out = StringWriter(128)
        factory.createGenerator(out).use { g ->
            g.writeStartObject()
            g.write()
            g.writeEndObject()
        }
        return out.toString()
    }

    /** {payload, reason}: the line's text, or its bytes in base64 when they are not UTF-8. */
    fun dlq(bytes: ByteArray, text: String?, reason: String): String = json {
        writeStringField("payload", text ?: Base64.getEncoder().encodeToString(bytes))
        writeStringField("reason", reason)
    }

    private fun JsonGenerator.event(e: CtrEvent) {
        writeStringField("event_id", e.eventId)
        writeStringField("user_id", e.userId)
        writeStringField("product_id", e.productId)
        writeStringField("event_type", e.eventType)
        writeNumberField("ts", e.ts)
    }

    fun duplicate(e: CtrEvent, occurrence: Long): String = json {
        event(e)
        writeNumberField("occurrence", occurrence)
    }

    fun late(e: CtrEvent): String = json {
        event(e)
        if (e.campaignId == null) writeNullField("campaign_id") else writeStringField("campaign_id", e.campaignId)
        writeNumberField("window_start", windowStart(e.ts))
    }

    /** One window's result; ctr is null when the window saw no impression. */
    fun result(productId: String, windowStart: Long, windowEnd: Long, impressions: Long, clicks: Long): String = json {
        writeStringField("product_id", productId)
        writeNumberField("window_start", windowStart)
        writeNumberField("window_end", windowEnd)
        writeNumberField("impressions", impressions)
        writeNumberField("clicks", clicks)
        if (impressions == 0L) writeNullField("ctr") else writeNumberField("ctr", clicks.toDouble() / impressions)
    }
}
