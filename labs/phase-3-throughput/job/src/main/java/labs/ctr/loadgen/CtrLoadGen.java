package labs.ctr.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Open-loop load generator for the throughput lab: the pipeline's JSON events with event time =
 * the wall clock when the line is built, at a rate set on stdin, counted exactly per 10 s window,
 * product and type (the lab's independent reference; it never asks Flink).
 *
 * stdin:  "rate N" (events/s), "rate max" (no throttle), "stop". EOF = stop, so the generator
 *         never outlives a lab that died, even one killed with SIGKILL.
 * stdout: one JSON line per second, then {"done":true,...} after the final flush.
 *
 * Open loop: the schedule does not wait for the broker. When sending falls behind by more than
 * half a second of events, the backlog is dropped and counted as "skipped": a rate that cannot be
 * reached is reported instead of being caught up later (which would hide the shortfall).
 */
public final class CtrLoadGen {
  private static final long WINDOW_MS = 10_000;
  private static final long MAX = Long.MAX_VALUE;

  private final String topic;
  private final String runId;
  private final int products;
  private final long dupEvery;
  private final KafkaProducer<byte[], byte[]> producer;
  private final SplittableRandom random;
  /** Partitions of the topic; event i goes to partition i % partitions (see send()). */
  private final int partitions;

  private volatile long rate = 0;
  private volatile boolean stop = false;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile String firstError = "";
  // Written by the sender thread only; read by the reporter (a slightly stale value is fine).
  private volatile long events = 0;
  private volatile long dups = 0;
  private volatile long skipped = 0;
  /** window start -> [product * 2 + (0 impression | 1 click)]; sender thread only. */
  private final Map<Long, long[]> counts = new HashMap<>();

  CtrLoadGen(Map<String, String> a) {
    topic = a.get("topic");
    runId = a.get("run-id");
    products = Integer.parseInt(a.getOrDefault("products", "1000"));
    dupEvery = Long.parseLong(a.getOrDefault("dup-every", "1000"));
    random = new SplittableRandom(Long.parseLong(a.getOrDefault("seed", "42")));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("brokers"));
    // Events go to explicit partitions (send()); the producer still batches per partition.
    // The 3.x defaults, written out: idempotence means a retry cannot duplicate, so counts stay exact.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, a.getOrDefault("linger-ms", "5"));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, a.getOrDefault("batch-bytes", "131072"));
    // Loopback: CPU is scarcer than bytes.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "ctr-loadgen-" + runId);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    // Given by the lab, which created the topic: asking the producer for metadata here can time
    // out on a busy machine (max.block.ms is 1 s so that a full buffer is reported quickly).
    partitions = Integer.parseInt(a.getOrDefault("partitions", "1"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    for (String k : new String[] {"brokers", "topic", "run-id", "counts-out"}) {
      if (!a.containsKey(k)) {
        System.err.println("missing --" + k);
        System.exit(2);
      }
    }
    CtrLoadGen g = new CtrLoadGen(a);
    long maxSeconds = Long.parseLong(a.getOrDefault("max-seconds", "1800"));
    g.run(Path.of(a.get("counts-out")), maxSeconds);
  }

  void run(Path countsOut, long maxSeconds) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
    Thread commands = new Thread(this::readCommands, "commands");
    commands.setDaemon(true);
    commands.start();
    Thread reporter = new Thread(() -> report(out), "reporter");
    reporter.setDaemon(true);
    reporter.start();
    // SIGTERM: stop sending; the main thread then flushes and writes the counts.
    Thread sender = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop = true;
      try {
        sender.join(3_000);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }));

    long seq = 0;
    long last = System.nanoTime();
    double due = 0;
    while (!stop && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      long r = rate;
      if (r == 0) {
        last = now;
        due = 0;
        LockSupport.parkNanos(1_000_000);
        continue;
      }
      int n;
      if (r == MAX) {
        n = 2000;
      } else {
        due += r * (now - last) / 1e9;
        last = now;
        double cap = Math.max(r * 0.5, 1000);
        if (due > cap) {
          skipped += (long) (due - cap);
          due = cap;
        }
        n = (int) Math.min(due, 2000);
        due -= n;
      }
      for (int i = 0; i < n; i++) send(seq++);
      if (n == 0) LockSupport.parkNanos(200_000);
    }
    producer.flush();
    producer.close(java.time.Duration.ofSeconds(5));
    writeCounts(countsOut);
    out.println(status(true));
    out.flush();
    // No System.exit: under SIGTERM the shutdown hook is waiting for this thread, and exit would
    // block behind it. The other threads are daemons, so returning ends the JVM.
  }

  private void send(long seq) {
    int product = (int) ((seq * 7919L) % products);
    boolean click = random.nextInt(10) == 0;
    long ts = System.currentTimeMillis();
    String line = "{\"event_id\":\"" + runId + "-" + Long.toString(seq, 36)
        + "\",\"user_id\":\"u" + (seq % 100_000)
        + "\",\"product_id\":\"p" + pad4(product)
        + "\",\"event_type\":\"" + (click ? "click" : "impression")
        + "\",\"ts\":" + ts + "}";
    byte[] value = line.getBytes(StandardCharsets.UTF_8);
    long ws = ts - ts % WINDOW_MS;
    counts.computeIfAbsent(ws, k -> new long[products * 2])[product * 2 + (click ? 1 : 0)]++;
    events++;
    // Every partition gets every few milliseconds of events. Kafka's default (sticky) partitioner
    // fills one partition with batch.size bytes before it moves on, so at a low rate the other
    // partitions get nothing for seconds; the watermark is the MINIMUM over partitions, and every
    // window would then fire seconds late.
    int partition = (int) (seq % partitions);
    producer.send(new ProducerRecord<>(topic, partition, null, value), this::onAck);
    if (dupEvery > 0 && seq % dupEvery == dupEvery - 1) {
      // The exact same line again, right after the original: the pipeline's dedup must drop it.
      producer.send(new ProducerRecord<>(topic, partition, null, value), this::onAck);
      dups++;
    }
  }

  private void onAck(org.apache.kafka.clients.producer.RecordMetadata m, Exception e) {
    if (e == null) {
      acked.incrementAndGet();
    } else {
      if (errors.getAndIncrement() == 0) firstError = e.toString();
    }
  }

  private static String pad4(int v) {
    String s = Integer.toString(v);
    return "0000".substring(Math.min(4, s.length())) + s;
  }

  private void readCommands() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String l;
      while ((l = in.readLine()) != null) {
        l = l.trim();
        if (l.equals("stop")) break;
        if (l.startsWith("rate ")) {
          String v = l.substring(5).trim();
          rate = v.equals("max") ? MAX : Long.parseLong(v);
        }
      }
    } catch (IOException | NumberFormatException e) {
      System.err.println("command: " + e);
    }
    stop = true;
  }

  private void report(PrintStream out) {
    while (!stop) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      if (stop) return; // the final status is the main thread's: never print after it
      out.println(status(false));
    }
  }

  private String status(boolean done) {
    long r = rate;
    return "{" + (done ? "\"done\":true," : "") + "\"t\":" + System.currentTimeMillis()
        + ",\"target\":" + (r == MAX ? -1 : r) + ",\"events\":" + events + ",\"dups\":" + dups
        + ",\"acked\":" + acked.get() + ",\"errors\":" + errors.get() + ",\"skipped\":" + skipped
        + ",\"first_error\":\"" + firstError.replace("\\", "\\\\").replace("\"", "'") + "\"}";
  }

  /** {"products":N,"windows":{"<ws>":[impr p0, click p0, impr p1, ...]}}: compact, exact. */
  private void writeCounts(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("{\"products\":").append(products).append(",\"windows\":{");
    boolean first = true;
    for (Map.Entry<Long, long[]> e : new TreeMap<>(counts).entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append('"').append(e.getKey()).append("\":[");
      long[] c = e.getValue();
      for (int i = 0; i < c.length; i++) {
        if (i > 0) sb.append(',');
        sb.append(c[i]);
      }
      sb.append(']');
    }
    sb.append("}}");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb.toString());
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
