-- Each on-time first occurrence (phase 1's validation, dedup and lateness, in SQL) with the
-- product's dimension version valid AT THE EVENT'S TIME: an event-time temporal join on the
-- versioned dimension table. LEFT: an event whose product has no version yet keeps its row,
-- with an empty category and advertiser and no bid.
SELECT e.product_id, e.event_type, e.ws_ms, e.rt,
  COALESCE(d.category, '') AS category,
  COALESCE(d.advertiser, '') AS advertiser,
  d.bid_micros
FROM ${events} AS e
LEFT JOIN ${dimension} FOR SYSTEM_TIME AS OF e.rt AS d
  ON e.product_id = d.product_id
