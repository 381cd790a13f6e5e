package labs.ctr.phase2

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner
import org.apache.flink.api.common.eventtime.Watermark
import org.apache.flink.api.common.eventtime.WatermarkGenerator
import org.apache.flink.api.common.eventtime.WatermarkOutput
import org.apache.flink.api.common.eventtime.WatermarkStrategy
import java.time.Duration

/**
 * Step 2, phase 1's `WATERMARK FOR rt AS rt - INTERVAL '5.001' SECOND` with
 * `scan.watermark.emit.strategy = on-event`: the watermark is max ts - 5 s - 1 ms and moves after
 * every event that raises the max, so which events are late never depends on timing (the exact
 * labs). Flink emits the record first, then the watermark: an event is judged against the
 * watermark before it, as the oracle says. It runs after validation (invalid lines have no time)
 * and before dedup (duplicates move it, as in phase 1 and the oracle).
 *
 * It emits only when the watermark crosses a window's last millisecond (k * 10 s - 1): the window
 * operator compares the watermark with nothing else (a window fires, and an event is late, when
 * window end - 1 <= watermark), so every firing and every late decision is the same as with a
 * watermark per event, at one watermark per 10 s of event time instead of one per event. Timers
 * elsewhere (dedup's forgetting) see the clock in those steps.
 *
 * `periodic` is Flink's own bounded-out-of-orderness generator (every 200 ms): cheaper, and what
 * phase 1's throughput runs use; lateness then depends on timing.
 */
object EventTimeWatermarks {
    fun strategy(mode: String): WatermarkStrategy<CtrEvent> {
        val base: WatermarkStrategy<CtrEvent> = when (mode) {
            "on-event" -> WatermarkStrategy { _ -> OnEvent() }
            "periodic" -> WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(WATERMARK_DELAY_MS))
            else -> throw IllegalArgumentException("--watermarks takes on-event or periodic (got $mode)")
        }
        return base.withTimestampAssigner(SerializableTimestampAssigner { e, _ -> e.ts })
    }

    /** The largest k * WINDOW_MS - 1 at or below `watermark`: the last window end - 1 it has passed. */
    fun windowStep(watermark: Long): Long = Math.floorDiv(watermark + 1, WINDOW_MS) * WINDOW_MS - 1

    class OnEvent : WatermarkGenerator<CtrEvent> {
        private var maxTs = Long.MIN_VALUE
        private var emitted = Long.MIN_VALUE

        override fun onEvent(event: CtrEvent, eventTimestamp: Long, output: WatermarkOutput) {
            if (eventTimestamp > maxTs) {
                maxTs = eventTimestamp
                val step = windowStep(maxTs - WATERMARK_DELAY_MS - 1)
                if (step > emitted) {
                    emitted = step
                    output.emitWatermark(Watermark(step))
                }
            }
        }

        override fun onPeriodicEmit(output: WatermarkOutput) {}
    }
}
