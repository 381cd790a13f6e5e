package labs.ctr.phase2

import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The validation step in Flink's ProcessFunction harness: one line in, an event or a DLQ record out. */
class ValidateLineTest {
    private fun run(vararg lines: ByteArray): Pair<List<CtrEvent>, List<String>> {
        val h = ProcessFunctionTestHarnesses.forProcessFunction(ValidateLine())
        lines.forEachIndexed { i, l -> h.processElement(l, i.toLong()) }
        val dlq = h.getSideOutput(Tags.DLQ)?.map { it.value } ?: emptyList()
        return h.extractOutputValues() to dlq
    }

    private fun reasonOf(line: String): String? = (Validation.validateText(line) as? Validated.Invalid)?.reason

    private val ok = """"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click""""

    @Test
    fun `a valid line becomes an event, extra fields ignored, the last duplicate key wins`() {
        val (events, dlq) = run("""{$ok,"ts":1000,"ts":2000,"extra":[1,{"a":"b"}],"campaign_id":"c9"}""".toByteArray())
        assertEquals(emptyList<String>(), dlq)
        val e = events.single()
        assertEquals(listOf("e1", "u1", "p1", "click", 2000L, "c9"), listOf(e.eventId, e.userId, e.productId, e.eventType, e.ts, e.campaignId))
    }

    @Test
    fun `bytes that are not UTF-8 go to the DLQ in base64`() {
        val (events, dlq) = run(byteArrayOf(0x78, 0xC3.toByte(), 0x28))
        assertEquals(0, events.size)
        assertEquals(listOf("""{"payload":"eMMo","reason":"not_utf8"}"""), dlq)
    }

    @Test
    fun `a rejected line keeps its text as payload, with the reason`() {
        val (_, dlq) = run("""{"event_id":""}""".toByteArray())
        assertEquals(listOf("""{"payload":"{\"event_id\":\"\"}","reason":"bad_event_id"}"""), dlq)
    }

    @Test
    fun `not_json as JSON_parse sees it`() {
        for (line in listOf("", "[1]", "\"x\"", "null", """{"a":1} x""", "\uFEFF{$ok,\"ts\":1}", """{$ok,"ts":1,"x":"\ud800"}""", """{$ok,"ts":1,"\udc00":1}""", "{'a':1}", """{"a":01}""")) {
            assertEquals("not_json", reasonOf(line), line)
        }
        // A surrogate pair written as escapes is a character, not a lone half.
        assertEquals(null, reasonOf("""{$ok,"ts":1,"x":"\ud83d\ude00"}"""))
    }

    @Test
    fun `each field's rule, in the order event_ts gives`() {
        assertEquals("bad_event_id", reasonOf("""{"event_id":1,"user_id":"","product_id":"","event_type":"","ts":"x"}"""))
        assertEquals("bad_user_id", reasonOf("""{"event_id":"e","user_id":null,"product_id":"","ts":"x"}"""))
        assertEquals("bad_product_id", reasonOf("""{"event_id":"e","user_id":"u","product_id":["p"]}"""))
        assertEquals("bad_event_type", reasonOf("""{"event_id":"e","user_id":"u","product_id":"p","event_type":"Click","ts":1}"""))
        assertEquals(null, reasonOf("""{$ok,"ts":0}"""))
        assertEquals(null, reasonOf("""{$ok,"ts":$MAX_TS}"""))
        for (ts in listOf("1.0", "-0", "-1", "1e3", "\"123\"", "null", "1234567890123456", "${MAX_TS + 1}", "true")) {
            assertEquals("bad_ts", reasonOf("""{$ok,"ts":$ts}"""), ts)
        }
        assertEquals("bad_ts", reasonOf("""{$ok}"""))
    }
}
