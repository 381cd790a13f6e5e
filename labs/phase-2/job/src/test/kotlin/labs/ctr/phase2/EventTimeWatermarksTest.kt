package labs.ctr.phase2

import org.apache.flink.api.common.eventtime.Watermark
import org.apache.flink.api.common.eventtime.WatermarkOutput
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The on-event generator: max ts - 5 s - 1 ms, emitted only when it passes a window's last millisecond. */
class EventTimeWatermarksTest {
    private class Collect : WatermarkOutput {
        val marks = mutableListOf<Long>()
        override fun emitWatermark(watermark: Watermark) { marks += watermark.timestamp }
        override fun markIdle() {}
        override fun markActive() {}
    }

    private fun run(vararg ts: Long): List<Long> {
        val g = EventTimeWatermarks.OnEvent()
        val out = Collect()
        for (t in ts) g.onEvent(CtrEvent("e", "u", "p", false, t), t, out)
        return out.marks
    }

    @Test
    fun `the window step is the last window end - 1 at or below the watermark`() {
        assertEquals(-1L, EventTimeWatermarks.windowStep(9_998))
        assertEquals(9_999L, EventTimeWatermarks.windowStep(9_999))
        assertEquals(9_999L, EventTimeWatermarks.windowStep(19_998))
        assertEquals(-10_001L, EventTimeWatermarks.windowStep(-5_001))
    }

    @Test
    fun `ts 15000 closes window 0 (watermark 9999), ts 14999 does not`() {
        assertEquals(listOf(-1L), run(0, 14_999).filter { it >= -1 })
        assertEquals(listOf(-1L, 9_999L), run(0, 14_999, 15_000).filter { it >= -1 })
    }

    @Test
    fun `one watermark per window passed, not one per event`() {
        val ts = LongArray(1_000) { it * 100L } // 100 s of event time
        val marks = run(*ts)
        assertEquals(marks.sorted().distinct(), marks)
        assert(marks.size <= 11) { "$marks" }
    }
}
