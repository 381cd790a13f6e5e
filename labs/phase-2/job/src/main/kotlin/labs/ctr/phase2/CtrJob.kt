package labs.ctr.phase2

import org.apache.flink.api.common.typeinfo.TypeInformation
import org.apache.flink.api.common.typeinfo.Types
import org.apache.flink.api.common.eventtime.WatermarkStrategy
import org.apache.flink.configuration.Configuration
import org.apache.flink.configuration.CheckpointingOptions
import org.apache.flink.configuration.StateBackendOptions
import org.apache.flink.connector.base.DeliveryGuarantee
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema
import org.apache.flink.connector.kafka.sink.KafkaSink
import org.apache.flink.connector.kafka.source.KafkaSource
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema
import org.apache.flink.streaming.api.CheckpointingMode
import org.apache.flink.streaming.api.datastream.DataStream
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
import org.apache.flink.util.Collector
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.producer.ProducerRecord
import java.nio.charset.StandardCharsets
import java.util.Properties

/**
 * The job: Kafka in, the pipeline, four exactly-once Kafka sinks out, checkpoints every 5 s on
 * RocksDB. Submitted by the lab through Flink's REST API (/jars/upload, /jars/:id/run) with
 * these program arguments; ClickHouse reads the results topic as in phase 1.
 */
fun main(args: Array<String>) {
    val a = JobArgs.parse(args)
    val conf = Configuration()
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb")
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, a.checkpointDir)
    // Timers (dedup's forgetting, the windows') on the heap, checkpointed with the state: RocksDB
    // timers cost a RocksDB write per first-seen id.
    conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP")
    val env = StreamExecutionEnvironment.getExecutionEnvironment(conf)
    env.parallelism = a.parallelism
    env.enableCheckpointing(a.checkpointMs, CheckpointingMode.EXACTLY_ONCE)
    // Generic types would fall back to Kryo (slow, fragile across versions): every type here is a POJO or a basic type.
    env.config.disableGenericTypes()
    // No operator keeps a record it was handed: chained operators may pass them without copying.
    env.config.enableObjectReuse()

    val source = KafkaSource.builder<ByteArray>()
        .setBootstrapServers(a.bootstrap)
        .setTopics(a.inputTopic)
        .setGroupId(a.group)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(RawLines())
        .setProperty("commit.offsets.on.checkpoint", "false")
        .apply { if (a.bounded) setBounded(OffsetsInitializer.latest()) }
        .build()
    val lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-lines").uid("kafka-lines")

    val out = Pipeline.build(lines, a.watermarks, a.dedupHorizonMs)
    sink(out.results, a, a.resultsTopic, "results")
    sink(out.dlq, a, a.dlqTopic, "dlq")
    sink(out.duplicates, a, a.duplicatesTopic, "duplicates")
    sink(out.late, a, a.lateTopic, "late")
    env.execute(a.name)
}

/** Each line's bytes as they are: no deserializer can fail the job or change a byte before validation. */
class RawLines : KafkaRecordDeserializationSchema<ByteArray> {
    override fun deserialize(record: ConsumerRecord<ByteArray?, ByteArray?>, out: Collector<ByteArray>) {
        out.collect(record.value() ?: ByteArray(0))
    }

    override fun getProducedType(): TypeInformation<ByteArray> = Types.PRIMITIVE_ARRAY(Types.BYTE) as TypeInformation<ByteArray>
}

/**
 * Each JSON string as a record of `topic`, with no timestamp: Kafka's producer stamps the time it
 * sends it (CreateTime), as phase 1's SQL sinks do. Flink's default would stamp the element's
 * event time (a window's end - 1 ms), which says nothing about when the result left the job.
 */
class ToTopic(private val topic: String) : KafkaRecordSerializationSchema<String> {
    override fun serialize(element: String, context: KafkaRecordSerializationSchema.KafkaSinkContext, timestamp: Long?): ProducerRecord<ByteArray, ByteArray> =
        ProducerRecord<ByteArray, ByteArray>(topic, null as Int?, null as Long?, null as ByteArray?, element.toByteArray(StandardCharsets.UTF_8))
}

/** An exactly-once (transactional) sink: records become visible to read_committed readers at each checkpoint. */
private fun sink(stream: DataStream<String>, a: JobArgs, topic: String, what: String) {
    val props = Properties()
    props["transaction.timeout.ms"] = a.txnTimeoutMs.toString()
    val sink = KafkaSink.builder<String>()
        .setBootstrapServers(a.bootstrap)
        .setKafkaProducerConfig(props)
        .setRecordSerializer(ToTopic(topic))
        .setDeliveryGuarantee(if (a.exactlyOnce) DeliveryGuarantee.EXACTLY_ONCE else DeliveryGuarantee.AT_LEAST_ONCE)
        .setTransactionalIdPrefix("${a.txnPrefix}-$what")
        .build()
    stream.sinkTo(sink).name("$what-sink").uid("$what-sink")
}
