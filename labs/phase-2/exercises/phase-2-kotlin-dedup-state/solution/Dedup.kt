package labs.ctr.phase2

import org.apache.flink.api.common.functions.OpenContext
import org.apache.flink.api.common.state.ValueState
import org.apache.flink.api.common.state.ValueStateDescriptor
import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.streaming.api.functions.KeyedProcessFunction
import org.apache.flink.util.Collector

/**
 * Step 3, phase 1's `COUNT(*) OVER (PARTITION BY event_id ...)` and its two branches: keyed by
 * event_id, the first occurrence goes on, every later one goes to the duplicates side output
 * with its occurrence number.
 *
 * How it forgets (ADR 0057): when it first sees an id it sets an event-time timer `horizonMs`
 * past the event-time clock of that moment (the later of the event's ts and the watermark), and
 * the timer clears the id. Event time, not processing time: the same input forgets the same ids
 * on every run, however fast it runs. A repeat arriving after that is counted as a new event:
 * the semantics are "seen within the horizon", which the oracle equals while no repeat comes
 * later than the horizon (the lab's inputs: the default horizon is a day of event time).
 */
class Dedup(private val horizonMs: Long) : KeyedProcessFunction<String, CtrEvent, CtrEvent>() {
    @Transient private lateinit var occurrences: ValueState<Long>

    override fun open(openContext: OpenContext) {
        occurrences = runtimeContext.getState(ValueStateDescriptor("occurrences", Types.LONG))
    }

    override fun processElement(event: CtrEvent, ctx: Context, out: Collector<CtrEvent>) {
        val seen = occurrences.value()
        if (seen == null) {
            occurrences.update(1L)
            val clock = maxOf(event.ts, ctx.timerService().currentWatermark())
            ctx.timerService().registerEventTimeTimer(saturatingAdd(clock, horizonMs))
            out.collect(event)
        } else {
            occurrences.update(seen + 1)
            ctx.output(Tags.DUPLICATES, Records.duplicate(event, seen + 1))
        }
    }

    override fun onTimer(timestamp: Long, ctx: OnTimerContext, out: Collector<CtrEvent>) {
        occurrences.clear()
    }

    private fun saturatingAdd(a: Long, b: Long): Long = if (a > Long.MAX_VALUE - b) Long.MAX_VALUE else a + b
}
