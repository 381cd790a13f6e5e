-- What the windows aggregate (phase 1's on-time first occurrences) with the product's version valid
-- AT THE EVENT'S TIME: an event-time temporal join. LEFT: an event whose product has no version
-- yet keeps its row, with an empty category and advertiser and no bid. The join holds each event
-- until the watermark passes its time, then emits it before forwarding that watermark: a row that
-- was on time before the join is on time after it.
CREATE TEMPORARY VIEW ${prefix}enriched AS
SELECT e.product_id, e.event_type, e.ws_ms, e.rt,
  COALESCE(d.category, '') AS category,
  COALESCE(d.advertiser, '') AS advertiser,
  d.bid_micros
FROM ${prefix}firsts_on_time AS e
JOIN ${dimension_table} FOR SYSTEM_TIME AS OF e.rt AS d
  ON e.product_id = d.product_id;
