# The ClickHouse image (ctr-labs/clickhouse): Debian's clickhouse-server package (18.16), the
# same server the local backend runs. Debian builds it for amd64 only; on arm64 (Apple Silicon)
# pass an official image instead: --clickhouse-image clickhouse/clickhouse-server:<tag>.
#
# config.xml and users.xml are rendered by src/stack/clickhouse/config.ts (for the container's
# addresses) and copied into /etc/ctr when the backend creates the container.
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clickhouse-server \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /etc/ctr /var/lib/ctr/data /var/lib/ctr/tmp /var/lib/ctr/user_files /var/lib/ctr/format_schemas /var/log/ctr
WORKDIR /var/lib/ctr
