#!/usr/bin/env bash
# Start-up of an installed Atelier, as a user sees it: milliseconds from the launcher's JVM start to the
# studio window shown and to the engine ready (the studio's -Datelier.startupProbe=true), under Xvfb.
#   installer/measure-startup.sh LAUNCHER [RUNS]
# cold: each run in a new empty home folder (a first start: the ≈430 MB of natives are extracted);
# warm: RUNS more starts in one home folder after a first start. Prints every run and the medians.
set -euo pipefail
launcher=${1:?usage: installer/measure-startup.sh LAUNCHER [RUNS]}
runs=${2:-3}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/atelier-startup.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

probe() { # HOME → "shown ready"
  JAVA_TOOL_OPTIONS="-Duser.home=$1 -Datelier.startupProbe=true" XDG_CONFIG_HOME="$1/.config" \
    XDG_DATA_HOME="$1/.local/share" xvfb-run -a -s "-screen 0 1280x900x24" "$launcher" 2>/dev/null \
    | awk '/^window-shown-ms/{s=$2} /^engine-ready-ms/{r=$2} END{print s, r}'
}
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: > "$scratch/cold.txt"; : > "$scratch/warm.txt"
for i in $(seq "$runs"); do
  home="$scratch/cold-$i"; mkdir -p "$home"
  r=$(probe "$home"); echo "cold run $i: window shown / engine ready ms: $r"; echo "$r" >> "$scratch/cold.txt"
  rm -rf "$home"
done
home="$scratch/warm"; mkdir -p "$home"; probe "$home" > /dev/null
for i in $(seq "$runs"); do
  r=$(probe "$home"); echo "warm run $i: window shown / engine ready ms: $r"; echo "$r" >> "$scratch/warm.txt"
done
for kind in cold warm; do
  echo "$kind median: window shown $(cut -d' ' -f1 "$scratch/$kind.txt" | median) ms, engine ready $(cut -d' ' -f2 "$scratch/$kind.txt" | median) ms"
done
