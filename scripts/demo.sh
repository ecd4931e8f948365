#!/usr/bin/env bash
# The main command: install what is missing, build, and run the demo game.
# With a display it opens a window; without one it runs headless for 600 frames with scripted
# input, says what it did, and writes demo-screenshot.png.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
demo=build/demo_game/glint-demo
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${1:-}" != "--headless" ]; then
  exec "$demo" "$@"
fi
echo "demo: no display found; running headless (600 frames, scripted input)"
exec "$demo" --headless --frames 600 --input demo_game/demo_input.txt \
  --screenshot demo-screenshot.png --query score --query kills --query wave --query hp "$@"
