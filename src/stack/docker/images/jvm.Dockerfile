# The Kafka and Flink images (ctr-labs/kafka, ctr-labs/flink): Java 17 from Debian, plus the
# jars the local backend runs, resolved from src/stack/kafka/pom.xml or src/stack/flink/pom.xml
# by Maven on the host (one list of versions for both backends). The build context is assembled
# by src/stack/docker/images.ts: this file and jars/. Nothing here is tied to one CPU
# architecture: the jars are plain Java and Debian builds its JDK for amd64 and arm64 alike.
#
# No configuration is baked in: the backend renders server.properties / config.yaml with the
# same code as the local backend (for the container's addresses) and copies them into
# /etc/ctr when it creates a container.
FROM debian:12-slim
# The JDK rather than the JRE: `jcmd` (JFR profiles through the backend's jcmd()) lives there.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /etc/ctr /var/lib/ctr/tmp /var/lib/ctr/web /var/lib/ctr/plugins /var/lib/ctr/data /var/log/ctr /stack-shared
COPY jars/ /opt/jars/
WORKDIR /var/lib/ctr
