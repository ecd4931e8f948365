#!/usr/bin/env bash
# The main command: install what is missing, build, and open the demo game in the editor.
# With a display it opens the editor's window. Without one it runs the editor under Xvfb (a
# virtual X server) with a scripted session that writes screenshots (demo-editor-*.png), and
# says so; `scripts/demo.sh --headless` runs the game alone, headless (demo-screenshot.png).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
editor=build/editor/glint-editor
demo=build/demo_game/glint-demo
headless_demo() {
  exec "$demo" --headless --frames 600 --input demo_game/demo_input.txt \
    --screenshot demo-screenshot.png --query score --query kills --query wave --query hp "$@"
}
if [ "${1:-}" = "--headless" ]; then
  shift
  echo "demo: the game alone, headless (600 frames, scripted input)"
  headless_demo "$@"
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$editor" "$@"
fi
if command -v xvfb-run >/dev/null 2>&1; then
  echo "demo: no display found; running the editor under Xvfb with a scripted session" \
    "(editor/demo_session.txt): it plays the demo, stops in the C and the Rust gameplay," \
    "and writes demo-editor-*.png"
  xvfb-run -a -s "-screen 0 1920x1080x24" "$editor" --no-audio \
    --script editor/demo_session.txt --input demo_game/demo_input.txt "$@"
  echo "demo: the editor's scripted session ended; screenshots:" demo-editor-*.png
  exit
fi
echo "demo: no display and no xvfb-run; running the game headless (600 frames, scripted input)"
headless_demo "$@"
