package labs.ctr.phase2

import org.apache.flink.api.common.functions.AggregateFunction
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction
import org.apache.flink.streaming.api.windowing.windows.TimeWindow
import org.apache.flink.util.Collector

/** A window's running counts: a POJO, so its state serializes without Kryo. */
class Counts() {
    var impressions: Long = 0
    var clicks: Long = 0

    constructor(impressions: Long, clicks: Long) : this() {
        this.impressions = impressions
        this.clicks = clicks
    }
}

/**
 * Step 4, phase 1's `SELECT COUNT(*) FILTER (WHERE event_type = 'impression') ... GROUP BY
 * TUMBLE(...)`: counted as events arrive (one Counts per key and window in state, not the events).
 */
class CountEvents : AggregateFunction<CtrEvent, Counts, Counts> {
    override fun createAccumulator() = Counts()

    override fun add(event: CtrEvent, acc: Counts): Counts {
        if (event.click) acc.clicks++ else acc.impressions++
        return acc
    }

    override fun getResult(acc: Counts) = acc

    override fun merge(a: Counts, b: Counts) = Counts(a.impressions + b.impressions, a.clicks + b.clicks)
}

/** When the window fires: its product, bounds, counts and ctr as the results topic's JSON. */
class EmitWindow : ProcessWindowFunction<Counts, String, String, TimeWindow>() {
    override fun process(productId: String, context: Context, counts: Iterable<Counts>, out: Collector<String>) {
        val c = counts.first()
        out.collect(Records.result(productId, context.window().start, context.window().end, c.impressions, c.clicks))
    }
}
