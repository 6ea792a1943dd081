#!/usr/bin/env bash
# Copies the Kafka broker jars for the pinned version from Maven Central into the cache
# with Maven, once; prints the directory that holds them (the broker's classpath).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

libs="$MQTRACE_CACHE_DIR/kafka/$KAFKA_VERSION/libs"

fetch() {
  require_tool java "run Apache Kafka" "a Java 17+ runtime (e.g. 'apt-get install openjdk-17-jre-headless')"
  require_tool mvn "fetch Apache Kafka from Maven Central" "Apache Maven (e.g. 'apt-get install maven')"
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  mvn -q -B -f "$INFRA_DIR/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
}

build_once "$libs/.fetched" fetch
echo "$libs"
