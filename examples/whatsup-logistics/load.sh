#!/usr/bin/env bash
# Streams truck pings from data/pings.csv at the sample server, each with a truck id, until stopped
# (or for the number of seconds given). Needs curl. Usage: examples/whatsup-logistics/load.sh [SECONDS] [URL]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${1:-60}"
url="${2:-http://127.0.0.1:8080/v1/models/stall-detector:predict}"
end=$((SECONDS + seconds))
worker() {
  while [ "$SECONDS" -lt "$end" ]; do
  tail -n +2 "$here/data/pings.csv" | while IFS=, read -r speed move ping dest depot geo hour hours ign road _; do
    [ "$SECONDS" -lt "$end" ] || break
    [ -n "$dest" ] || dest=null
    body="{\"instances\":[{\"speed_kmh\":$speed,\"minutes_since_last_move\":$move,\"minutes_since_last_ping\":$ping,"
    body+="\"distance_to_destination_km\":$dest,\"distance_to_nearest_depot_km\":$depot,\"in_geofence\":$([ "$geo" = 1 ] && echo true || echo false),"
    body+="\"hour_of_day\":$hour,\"driver_hours_today\":$hours,\"ignition_on\":$([ "$ign" = 1 ] && echo true || echo false),\"road_type\":\"$road\"}]}"
    curl -s -o /dev/null -H "X-Truck-Id: TRK-$((RANDOM % 500))" -d "$body" "$url" || true
  done
  done
}
for _ in 1 2 3 4; do worker & done
wait
