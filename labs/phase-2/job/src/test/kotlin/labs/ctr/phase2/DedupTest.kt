package labs.ctr.phase2

import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.streaming.api.operators.KeyedProcessOperator
import org.apache.flink.streaming.api.watermark.Watermark
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** Dedup in a keyed operator harness: first occurrences pass, repeats go aside numbered, ids are forgotten in event time. */
class DedupTest {
    private fun harness(horizonMs: Long) =
        KeyedOneInputStreamOperatorTestHarness(KeyedProcessOperator(Dedup(horizonMs)), Pipeline.ByEventId(), Types.STRING).also { it.open() }

    private fun event(id: String, ts: Long) = StreamRecord(CtrEvent(id, "u", "p", false, ts), ts)

    @Test
    fun `the first occurrence passes, the others go to the duplicates output with their number`() {
        val h = harness(86_400_000)
        h.processElement(event("a", 0))
        h.processElement(event("a", 10))
        h.processElement(event("b", 20))
        h.processElement(event("a", 5))
        assertEquals(listOf("a", "b"), h.extractOutputValues().map { it.eventId })
        val dups = h.getSideOutput(Tags.DUPLICATES).map { it.value }
        assertEquals(2, dups.size)
        assert(dups[0].contains("\"ts\":10") && dups[0].endsWith("\"occurrence\":2}")) { dups[0] }
        assert(dups[1].contains("\"ts\":5") && dups[1].endsWith("\"occurrence\":3}")) { dups[1] }
    }

    @Test
    fun `an id is forgotten once the watermark passes the horizon after it was seen, not a millisecond before`() {
        val h = harness(1_000)
        h.processElement(event("a", 0))
        h.processWatermark(Watermark(999))
        h.processElement(event("a", 1))
        assertEquals(1, h.getSideOutput(Tags.DUPLICATES).size, "still remembered at watermark 999")
        h.processWatermark(Watermark(1_000))
        h.processElement(event("a", 2))
        assertEquals(listOf(0L, 2L), h.extractOutputValues().map { it.ts }, "forgotten at watermark 1000: counted as new")
    }

    @Test
    fun `the horizon counts from the watermark when the event is older than it`() {
        val h = harness(1_000)
        h.processWatermark(Watermark(50_000))
        h.processElement(event("old", 0))
        h.processWatermark(Watermark(50_999))
        h.processElement(event("old", 0))
        assertEquals(1, h.getSideOutput(Tags.DUPLICATES).size)
    }
}
