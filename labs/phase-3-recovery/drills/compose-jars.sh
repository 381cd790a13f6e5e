#!/usr/bin/env bash
# Composes a jar cache for the drills stack: the shared Flink jars + the RocksDB state backend
# (resolved from drills/rocksdb-pom.xml), marked as resolved for the UNCHANGED shared pom, so the
# stack uses it as is. Run with CTR_JAR_CACHE=<out> for `stack up`. Kafka jars are linked.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$root/.stack/drills-jars}
tmp=$(mktemp -d)
mvn -q -B -f "$root/labs/phase-3-recovery/drills/rocksdb-pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeScope=runtime
mkdir -p "$out/flink"
ln -sfn "$root/.stack/jars/kafka" "$out/kafka"
for j in "$root"/.stack/jars/flink/*.jar; do ln -sf "$j" "$out/flink/"; done
added=()
for j in "$tmp"/*.jar; do
  b=$(basename "$j")
  stem=${b%-[0-9]*}
  if ! ls "$root/.stack/jars/flink/" | grep -q "^${stem}-[0-9]"; then cp "$j" "$out/flink/"; added+=("$b"); fi
done
sha256sum "$root/src/stack/flink/pom.xml" | cut -d' ' -f1 | tr -d '\n' > "$out/flink/.resolved"
echo "added: ${added[*]}"
rm -rf "$tmp"
