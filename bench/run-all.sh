#!/usr/bin/env bash
# Runs every benchmark one after the other (never in parallel: 2 cores) and keeps each JSON document in
# bench/results/run-<UTC timestamp>/<name>.json, plus the stderr progress in <name>.log. The README's
# "Performance" table quotes one such run. Pass names to run a subset: bash bench/run-all.sh pg-append http
set -uo pipefail
cd "$(dirname "$0")/.."
ALL=(pg-append sqlite-append http rebuild queries kafka province growth)
[ $# -gt 0 ] && NAMES=("$@") || NAMES=("${ALL[@]}")
OUT="bench/results/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
status=0
for name in "${NAMES[@]}"; do
  echo "== bench:$name ($(date -u +%H:%M:%S))" >&2
  # the Kafka benchmark needs the local broker (scripts/kafka.sh); it runs only for that benchmark, so its
  # idle JVM is not a neighbour of the others; one already running (a developer's) is left running
  started_kafka=0
  if [ "$name" = kafka ] && ! bash scripts/kafka.sh status >/dev/null 2>&1; then
    bash scripts/kafka.sh start >&2 && started_kafka=1
  fi
  if npm run -s "bench:$name" > "$OUT/$name.json" 2> "$OUT/$name.log"; then
    echo "   done: $OUT/$name.json" >&2
  else
    echo "   FAILED (exit $?): see $OUT/$name.log" >&2
    status=1
  fi
  [ "$started_kafka" = 1 ] && bash scripts/kafka.sh stop >&2
done
echo "$OUT"
exit $status
