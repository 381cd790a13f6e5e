package labs.ctr.phase2

import org.apache.flink.streaming.api.functions.ProcessFunction
import org.apache.flink.util.Collector

/**
 * Step 1, what phase 1's source table and flink/dlq-reason.sql do: every raw line either becomes
 * an event or goes to the DLQ side output with its reason. Nothing is dropped.
 */
class ValidateLine : ProcessFunction<ByteArray, CtrEvent>() {
    override fun processElement(line: ByteArray, ctx: Context, out: Collector<CtrEvent>) {
        val text = Validation.utf8(line)
        if (text == null) {
            ctx.output(Tags.DLQ, Records.dlq(line, null, "not_utf8"))
            return
        }
        when (val v = Validation.validateText(text)) {
            is Validated.Valid -> out.collect(v.event)
            is Validated.Invalid -> ctx.output(Tags.DLQ, Records.dlq(line, text, v.reason))
        }
    }
}
