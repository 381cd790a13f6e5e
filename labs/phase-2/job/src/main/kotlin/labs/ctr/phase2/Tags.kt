package labs.ctr.phase2

import org.apache.flink.api.common.typeinfo.TypeInformation
import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.util.OutputTag

/** The side outputs: what phase 1 routes with separate INSERTs, a DataStream job routes with tags. */
object Tags {
    val DLQ = OutputTag("dlq", Types.STRING)
    val DUPLICATES = OutputTag("duplicates", Types.STRING)
    val LATE = OutputTag("late", TypeInformation.of(CtrEvent::class.java))
}
