package labs.ctr.phase2

import org.apache.flink.api.common.functions.MapFunction
import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.api.java.functions.KeySelector
import org.apache.flink.streaming.api.datastream.DataStream
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows
import java.time.Duration

/** The pipeline's four outputs, each a stream of the JSON its topic holds. */
class PipelineOutputs(
    val results: DataStream<String>,
    val dlq: DataStream<String>,
    val duplicates: DataStream<String>,
    val late: DataStream<String>,
)

/**
 * The topology, without sources or sinks: CtrJob wires it to Kafka, the MiniCluster test to a
 * list of lines and a collector. validate -> watermarks -> dedup (keyed by event_id) -> 10 s
 * windows (keyed by product_id), each step's rejects on a side output.
 */
object Pipeline {
    fun build(lines: DataStream<ByteArray>, watermarks: String, dedupHorizonMs: Long): PipelineOutputs {
        val events = lines.process(ValidateLine()).name("validate").uid("validate")
        val timed = events.assignTimestampsAndWatermarks(EventTimeWatermarks.strategy(watermarks)).name("watermarks").uid("watermarks")
        val firsts = timed.keyBy(ByEventId(), Types.STRING).process(Dedup(dedupHorizonMs)).name("dedup").uid("dedup")
        val windows = windowCounts(firsts)
        return PipelineOutputs(
            results = windows,
            dlq = events.getSideOutput(Tags.DLQ),
            duplicates = firsts.getSideOutput(Tags.DUPLICATES),
            late = windows.getSideOutput(Tags.LATE).map(LateRecord()).name("late-record").uid("late-record"),
        )
    }

    /** The window step on its own: the harness test takes its operator from here. */
    fun windowCounts(events: DataStream<CtrEvent>): SingleOutputStreamOperator<String> =
        events.keyBy(ByProductId(), Types.STRING)
            .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW_MS)))
            // TODO: an event whose window has fired is dropped here without a trace. Send it to Tags.LATE.
            .aggregate(CountEvents(), EmitWindow(), Types.POJO(Counts::class.java), Types.POJO(Counts::class.java), Types.STRING)
            .name("windows").uid("windows")

    class ByEventId : KeySelector<CtrEvent, String> {
        override fun getKey(e: CtrEvent): String = e.eventId
    }

    class ByProductId : KeySelector<CtrEvent, String> {
        override fun getKey(e: CtrEvent): String = e.productId
    }

    class LateRecord : MapFunction<CtrEvent, String> {
        override fun map(e: CtrEvent): String = Records.late(e)
    }
}
