# ctr-labs/maven: Maven on Debian's JDK 17, to resolve src/stack/{kafka,flink}/pom.xml into
# .stack/jars/ on a machine without Maven or Java (src/stack/docker/jars.ts). Its first layer is
# jvm.Dockerfile's, so the JDK is downloaded once for every image.
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends maven \
 && rm -rf /var/lib/apt/lists/*
