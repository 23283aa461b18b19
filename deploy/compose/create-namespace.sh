#!/bin/sh
# Registers the namespace the sensors run in (7 days of history after a sensor ends), unless it exists.
set -eu
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 2; done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace default >/dev/null 2>&1 \
  || temporal operator namespace create --address "$TEMPORAL_ADDRESS" --namespace default --retention 7d
