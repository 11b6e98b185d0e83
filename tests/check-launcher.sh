#!/usr/bin/env bash
# The command-line launchers under the C/POSIX locale (called by .ci/run after packaging; issue #16, class 8):
#  1. bin/atelier switches to C.UTF-8 when the system has it, so a model directory with a non-ASCII name opens;
#  2. without that switch (java -jar under LC_ALL=C) the same name gets advice naming the locale, exit 1, and no
#     exception class name.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/atelier.jar ] || { echo "check-launcher: build target/atelier.jar first (mvn -B -q package -DskipTests)" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/atelier-launcher.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
model="$scratch/modèle-été"
cp -r assets/models/fashion-mnist "$model"

if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
  out=$(LC_ALL=C bin/atelier info --threads 1 --model "$model" 2>&1) \
    || { echo "check-launcher: bin/atelier under LC_ALL=C failed on $model:" >&2; echo "$out" >&2; exit 1; }
  grep -q "^Selected: .*modèle-été" <<<"$out" \
    || { echo "check-launcher: bin/atelier under LC_ALL=C did not select $model:" >&2; echo "$out" >&2; exit 1; }
  echo "check-launcher: bin/atelier under LC_ALL=C opens $model"
else
  echo "check-launcher: this system has no C.UTF-8 locale; the launcher's switch cannot be checked here"
fi

set +e
out=$(LC_ALL=C java -Dai.djl.offline=true -Datelier.assets="$PWD/assets" -jar target/atelier.jar info --threads 1 \
  --model "$model" 2>&1)
rc=$?
set -e
if [ $rc -ne 1 ] || ! grep -q "LC_ALL=C.UTF-8" <<<"$out" || grep -q "Exception" <<<"$out"; then
  echo "check-launcher: java -jar under LC_ALL=C gave exit $rc and no locale advice (or an exception name):" >&2
  echo "$out" >&2; exit 1
fi
echo "check-launcher: without the switch, the user is told to use a UTF-8 locale (exit 1)"
