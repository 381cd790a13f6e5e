package labs.ctr.phase2

/** The job's program arguments (`--name value`), each with what it means when missing. */
class JobArgs(private val values: Map<String, String>) {
    private fun required(k: String) = values[k] ?: throw IllegalArgumentException("missing --$k: the lab passes it (src/pipeline/kotlin-job.ts)")
    private fun optional(k: String, default: String) = values[k] ?: default

    val bootstrap = required("bootstrap-servers")
    val inputTopic = required("input-topic")
    val dlqTopic = required("dlq-topic")
    val duplicatesTopic = required("duplicates-topic")
    val lateTopic = required("late-topic")
    val resultsTopic = required("results-topic")
    val group = required("group")
    val name = required("name")
    val txnPrefix = required("txn-prefix")
    val checkpointDir = required("checkpoint-dir")
    val checkpointMs = optional("checkpoint-ms", "5000").toLong()
    val parallelism = optional("parallelism", "1").toInt()
    val bounded = optional("bounded", "true").toBoolean()
    val exactlyOnce = optional("delivery", "exactly-once") == "exactly-once"
    val watermarks = optional("watermarks", "on-event")
    /** A day of event time (ADR 0057). */
    val dedupHorizonMs = optional("dedup-horizon-ms", "86400000").toLong()
    val txnTimeoutMs = optional("txn-timeout-ms", "600000").toLong()

    companion object {
        fun parse(args: Array<String>): JobArgs {
            val m = HashMap<String, String>()
            var i = 0
            while (i < args.size) {
                val k = args[i]
                require(k.startsWith("--") && i + 1 < args.size) { "arguments come as --name value pairs (at \"$k\")" }
                m[k.removePrefix("--")] = args[i + 1]
                i += 2
            }
            return JobArgs(m)
        }
    }
}
