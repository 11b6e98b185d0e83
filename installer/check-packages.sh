#!/usr/bin/env bash
# Proof that the packages work (called by .ci/run after `mvn -B -Pinstaller verify`):
#  1. the app-image (target/installer/Atelier) starts under Xvfb with --smoke: it opens the window, generates
#     images with the shipped model through the Sampling panel, saves the first as a PNG and exits 0;
#  2. the .deb: its control file depends on libgtk-3-0 and its desktop entry is right (Graphics, image/png,
#     the file passed with %f); unpacked into a scratch root with `dpkg -x`, it starts the same way, and its
#     command-line launcher samples a PNG.
# Every start uses an empty home folder (a first start: the PyTorch natives are extracted) and, when the
# machine allows it (root and unshare), no network at all. Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
image=target/installer/Atelier
deb=$(ls target/installer/atelier_*_amd64.deb 2>/dev/null | head -1 || true)
[ -x "$image/bin/Atelier" ] || { echo "check-packages: $image is missing; build it with mvn -B -Pinstaller package" >&2; exit 1; }
[ -n "$deb" ] || { echo "check-packages: no target/installer/atelier_*_amd64.deb; build it with mvn -B -Pinstaller package" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/atelier-packages.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

offline=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  offline=(unshare -n)   # a network namespace with no interfaces: proves the app needs no network
else
  echo "check-packages: cannot drop the network here (needs root and unshare); starting with the network up"
fi

# smoke NAME LAUNCHER: a first start in an empty home folder, under Xvfb, with --smoke
smoke() {
  local name=$1 launcher=$2 home="$scratch/home-$1" out="$scratch/$1.png"
  mkdir -p "$home"
  echo "== $name: $launcher --smoke $out (empty home, first start)"
  local start=$(date +%s)
  if ! JAVA_TOOL_OPTIONS="-Duser.home=$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
      timeout 900 "${offline[@]}" xvfb-run -a -s "-screen 0 1280x900x24" "$launcher" --smoke "$out" 2>&1 \
      | sed "/^Picked up JAVA_TOOL_OPTIONS/d; s/^/   /"; then
    echo "check-packages: $name: the smoke run failed (see its output above)" >&2; exit 1
  fi
  [ -s "$out" ] || { echo "check-packages: $name: $out was not written" >&2; exit 1; }
  [ -d "$home/.local/share/atelier/djl/pytorch" ] \
    || { echo "check-packages: $name: the natives were not extracted under the user's data folder" >&2; exit 1; }
  echo "   ok in $(( $(date +%s) - start )) s; natives cache $(du -sh "$home/.local/share/atelier/djl" | cut -f1)"
}

smoke app-image "$image/bin/Atelier"

echo "== .deb: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Depends | grep -q "libgtk-3-0" || { echo "check-packages: the .deb does not depend on libgtk-3-0" >&2; exit 1; }
root="$scratch/root"
dpkg -x "$deb" "$root"
desktop="$root/opt/atelier/lib/atelier-Atelier.desktop"
for line in "Categories=Graphics;" "MimeType=image/png;" "Exec=/opt/atelier/bin/Atelier %f"; do
  grep -q "^$line" "$desktop" || { echo "check-packages: $desktop lacks '$line'" >&2; cat "$desktop" >&2; exit 1; }
done
echo "   control and desktop entry ok"
smoke deb "$root/opt/atelier/bin/Atelier"

echo "== .deb command line: atelier sample"
if ! JAVA_TOOL_OPTIONS="-Duser.home=$scratch/home-deb" XDG_DATA_HOME="$scratch/home-deb/.local/share" \
    "${offline[@]}" "$root/opt/atelier/bin/atelier" sample --count 4 --seed 7 --threads 1 --out "$scratch/cli.png" 2>&1 \
    | sed "/^Picked up JAVA_TOOL_OPTIONS/d; s/^/   /" || [ ! -s "$scratch/cli.png" ]; then
  echo "check-packages: the command-line launcher failed" >&2; exit 1
fi
echo "check-packages: all checks passed"
