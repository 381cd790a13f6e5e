package labs.ctr.phase2

import org.apache.flink.api.common.typeinfo.TypeInformation
import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
import org.apache.flink.streaming.api.operators.OneInputStreamOperator
import org.apache.flink.streaming.api.transformations.OneInputTransformation
import org.apache.flink.streaming.api.watermark.Watermark
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * The window step's own operator (taken from Pipeline.windowCounts, so the test runs what the job
 * runs) in a keyed harness: counts per product and window, when a window fires (the 1 ms
 * boundary), and late events to the side output.
 */
class WindowCountsTest {
    private fun harness(): KeyedOneInputStreamOperatorTestHarness<String, CtrEvent, String> {
        val env = StreamExecutionEnvironment.getExecutionEnvironment()
        val events = env.fromData(listOf(CtrEvent()), TypeInformation.of(CtrEvent::class.java))
        @Suppress("UNCHECKED_CAST")
        val op = (Pipeline.windowCounts(events).transformation as OneInputTransformation<CtrEvent, String>).operator as OneInputStreamOperator<CtrEvent, String>
        return KeyedOneInputStreamOperatorTestHarness(op, Pipeline.ByProductId(), Types.STRING).also { it.open() }
    }

    private fun event(product: String, click: Boolean, ts: Long) = StreamRecord(CtrEvent("e$ts$product$click", "u", product, click, ts), ts)

    @Test
    fun `impressions and clicks per product and window, ctr = clicks over impressions`() {
        val h = harness()
        h.processElement(event("p", false, 1_000))
        h.processElement(event("p", false, 2_000))
        h.processElement(event("p", true, 9_999))
        h.processElement(event("p", true, 10_000)) // the next window
        h.processElement(event("q", true, 3_000)) // clicks only: ctr null
        h.processWatermark(Watermark(Long.MAX_VALUE))
        assertEquals(
            setOf(
                """{"product_id":"p","window_start":0,"window_end":10000,"impressions":2,"clicks":1,"ctr":0.5}""",
                """{"product_id":"p","window_start":10000,"window_end":20000,"impressions":0,"clicks":1,"ctr":null}""",
                """{"product_id":"q","window_start":0,"window_end":10000,"impressions":0,"clicks":1,"ctr":null}""",
            ),
            h.extractOutputValues().toSet(),
        )
    }

    @Test
    fun `a window fires at watermark end - 1 ms, not before`() {
        val h = harness()
        h.processElement(event("p", false, 5_000))
        h.processWatermark(Watermark(9_998))
        assertEquals(emptyList<String>(), h.extractOutputValues(), "watermark 9998: [0, 10000) still open")
        h.processWatermark(Watermark(9_999))
        assertEquals(1, h.extractOutputValues().size, "watermark 9999: [0, 10000) fired")
    }

    @Test
    fun `an event whose window has fired goes to the late output, counted nowhere else`() {
        val h = harness()
        h.processElement(event("p", false, 5_000))
        h.processWatermark(Watermark(9_999))
        h.processElement(event("p", true, 9_000)) // late
        h.processElement(event("p", true, 10_000)) // on time: the next window
        h.processWatermark(Watermark(Long.MAX_VALUE))
        assertEquals(listOf(9_000L), h.getSideOutput(Tags.LATE).map { it.value.ts })
        assertEquals(
            listOf(
                """{"product_id":"p","window_start":0,"window_end":10000,"impressions":1,"clicks":0,"ctr":0.0}""",
                """{"product_id":"p","window_start":10000,"window_end":20000,"impressions":0,"clicks":1,"ctr":null}""",
            ),
            h.extractOutputValues(),
        )
    }
}
