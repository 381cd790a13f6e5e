package labs.ctr.phase2

/**
 * A valid event (src/ctr/event.ts). A Flink POJO (public no-arg constructor, var properties), so
 * Flink serializes it with its POJO serializer, never Kryo: the MiniCluster test disables generic
 * types to hold that.
 */
class CtrEvent() {
    var eventId: String = ""
    var userId: String = ""
    var productId: String = ""
    /** event_type: "click" when true, "impression" when false. */
    var click: Boolean = false
    /** Event time, epoch ms. */
    var ts: Long = 0
    /** Optional since schema v2; null when absent or not a JSON string. */
    var campaignId: String? = null

    constructor(eventId: String, userId: String, productId: String, click: Boolean, ts: Long, campaignId: String? = null) : this() {
        this.eventId = eventId
        this.userId = userId
        this.productId = productId
        this.click = click
        this.ts = ts
        this.campaignId = campaignId
    }

    val eventType: String get() = if (click) "click" else "impression"

    override fun toString() = "CtrEvent($eventId, $productId, $eventType, $ts)"
}

/** Window size and watermark delay, in ms (event.ts). */
const val WINDOW_MS = 10_000L
const val WATERMARK_DELAY_MS = 5_000L

/** The last instant Flink's TO_TIMESTAMP_LTZ represents; ts above it is bad_ts (event.ts MAX_TS). */
const val MAX_TS = 253_402_300_799_999L

fun windowStart(ts: Long): Long = ts - ts % WINDOW_MS
