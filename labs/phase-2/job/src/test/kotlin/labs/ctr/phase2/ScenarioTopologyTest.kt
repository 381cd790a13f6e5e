package labs.ctr.phase2

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import org.apache.flink.api.common.functions.MapFunction
import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration
import org.apache.flink.streaming.api.datastream.DataStream
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
import org.apache.flink.test.junit5.MiniClusterExtension
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.extension.RegisterExtension
import java.io.File
import java.util.Base64

/**
 * The whole topology on a MiniCluster, once per phase-1 scenario file (labs/phase-1/data), compared
 * with what the TypeScript oracle (src/ctr/oracle.ts) says of the same lines. The expected outputs
 * are not written here: `npm run test:jvm` has the oracle write them to the `oracle.dir` folder
 * before Maven runs (src/cli/jvm-test.ts), one JSON file per scenario. Lines over the pipeline's
 * size limit are left out of both sides: the producer, not the job, handles them.
 */
class ScenarioTopologyTest {
    companion object {
        @JvmField
        @RegisterExtension
        val cluster = MiniClusterExtension(MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build())
    }

    private val mapper = ObjectMapper()

    @TestFactory
    fun `every phase-1 scenario through the topology equals the oracle`(): List<DynamicTest> {
        val dir = File(System.getProperty("oracle.dir") ?: "target/oracle")
        val files = dir.listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name } ?: emptyList()
        if (files.isEmpty()) fail<Unit>("no oracle files in $dir: run `npm run test:jvm`, which writes them with the TypeScript oracle, then runs Maven")
        return files.map { f -> DynamicTest.dynamicTest(f.name.removeSuffix(".json")) { check(mapper.readTree(f)) } }
    }

    /** Tags each output's records with its topic so one collect() brings all four back. */
    class Tagged(private val tag: String) : MapFunction<String, String> {
        override fun map(v: String) = "$tag\t$v"
    }

    /** fromData refuses an empty list (empty.jsonl); the older collection source takes it. */
    @Suppress("DEPRECATION")
    private fun lines(env: StreamExecutionEnvironment, lines: List<ByteArray>): DataStream<ByteArray> = env.fromCollection(lines, RawLines().producedType)

    private fun check(expected: JsonNode) {
        val lines = expected["lines"].map { Base64.getDecoder().decode(it.asText()) }
        val env = StreamExecutionEnvironment.getExecutionEnvironment()
        env.parallelism = 1
        env.config.disableGenericTypes()
        val out = Pipeline.build(lines(env, lines), "on-event", 86_400_000)
        fun tag(s: DataStream<String>, t: String) = s.map(Tagged(t)).returns(Types.STRING)
        val all = tag(out.results, "results").union(tag(out.dlq, "dlq"), tag(out.duplicates, "duplicates"), tag(out.late, "late")).executeAndCollect().use { it.asSequence().toList() }
        val by = all.groupBy({ it.substringBefore('\t') }, { mapper.readTree(it.substringAfter('\t')) })

        val problems = mutableListOf<String>()
        fun rowKey(n: JsonNode) = "${n["product_id"]} @ ${n["window_start"].asLong()}"
        fun rowValue(n: JsonNode) = "impressions ${n["impressions"].asLong()}, clicks ${n["clicks"].asLong()}, ctr ${if (n["ctr"].isNull) "null" else n["ctr"].asDouble()}"
        val want = expected["results"].associate { rowKey(it) to rowValue(it) }
        val gotRows = by["results"].orEmpty()
        val got = gotRows.associate { rowKey(it) to rowValue(it) }
        if (gotRows.size != got.size) problems += "a window emitted more than once: ${gotRows.size} results for ${got.size} windows"
        for ((k, v) in want) if (got[k] != v) problems += if (got[k] == null) "missing   $k: $v" else "differs   $k: expected $v, got ${got[k]}"
        for ((k, v) in got) if (k !in want) problems += "extra     $k: $v"

        fun multiset(nodes: Iterable<JsonNode>, f: (JsonNode) -> String) = nodes.map(f).groupingBy { it }.eachCount()
        val dlqKey = { n: JsonNode -> "${n["reason"].asText()}: ${n["payload"]}" }
        if (multiset(expected["dlq"], dlqKey) != multiset(by["dlq"].orEmpty(), dlqKey)) problems += "DLQ records differ: expected ${expected["dlq"].map(dlqKey)}, got ${by["dlq"].orEmpty().map(dlqKey)}"
        val dupKey = { n: JsonNode -> n["event_id"].toString() }
        if (expected["duplicates"].map(dupKey) != by["duplicates"].orEmpty().map(dupKey)) problems += "duplicates differ: expected ${expected["duplicates"].map(dupKey)}, got ${by["duplicates"].orEmpty().map(dupKey)}"
        val lateKey = { n: JsonNode -> "${n["event_id"]} @ ${n["window_start"].asLong()}" }
        if (expected["late"].map(lateKey) != by["late"].orEmpty().map(lateKey)) problems += "late events differ: expected ${expected["late"].map(lateKey)}, got ${by["late"].orEmpty().map(lateKey)}"
        assertTrue(problems.isEmpty()) { "${expected["name"].asText()}: ${problems.size} differences from the oracle:\n  " + problems.take(20).joinToString("\n  ") }
    }
}
