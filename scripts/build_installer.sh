#!/usr/bin/env bash
# Build the installer folder dist/UptrendsStudio/ (GUI + CLI, one runtime) with PyInstaller and
# smoke-test what was built: the CLI's version, check and render, none of them loading Qt; the
# windowed Studio started offscreen on the demo, on a missing file and through the CLI; the
# shipped resources.
#
#   scripts/build_installer.sh
#
# Needs the project's .venv (the README's set-up commands); installs the `build` extra into it
# when PyInstaller is missing. Exits non-zero with a "build_installer: FAILED: ..." line on the
# first problem.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

fail() {
    echo "build_installer: FAILED: $*" >&2
    exit 1
}

case "$(uname -s)" in
    MINGW* | MSYS* | CYGWIN*) bin=.venv/Scripts exe=.exe ;;
    *) bin=.venv/bin exe= ;;
esac
[ -x "$bin/python$exe" ] || fail "no virtual environment in .venv; create it first (see README)"

if [ ! -x "$bin/pyinstaller$exe" ]; then
    echo "== installing the build extra (PyInstaller) into .venv"
    "$bin/pip$exe" install -q -e '.[build]' \
        || fail "could not install the build extra: $bin/pip install -e '.[build]'"
fi

version=$("$bin/python$exe" -c 'import uptrends_studio; print(uptrends_studio.__version__)')
echo "== building Uptrends Studio $version with PyInstaller $("$bin/pyinstaller$exe" --version)"
build_started=$(date +%s)
"$bin/pyinstaller$exe" --noconfirm --clean --log-level WARN build_installer.spec \
    || fail "PyInstaller could not build build_installer.spec (see its messages above)"
build_seconds=$(($(date +%s) - build_started))

dist=dist/UptrendsStudio
gui="$dist/UptrendsStudio$exe"
cli="$dist/uptrends-studio$exe"
[ -x "$gui" ] || fail "the GUI executable $gui was not built"
[ -x "$cli" ] || fail "the CLI executable $cli was not built"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Runs "$@" with a time limit where `timeout` exists, so a hung window cannot hang CI.
limited() {
    if command -v timeout > /dev/null; then
        timeout 120 "$@"
    else
        "$@"
    fi
}

# Fails unless a command's output file has no line except the known offscreen-platform noise.
# The offscreen platform cannot do these window-system things; they are harmless there (the
# same list as qt_log_ignore in pyproject.toml).
known_noise=(
    "This plugin does not support propagateSizeHints"
    "This plugin does not support raise"
    "This plugin does not support grabbing the keyboard"
)
expect_quiet() { # what, file
    local unexpected
    unexpected=$(grep -v -F "${known_noise[@]/#/-e}" "$2" || true)
    [ -z "$unexpected" ] || fail "$1 printed unexpected output:
$unexpected"
}

echo "== smoke test: bundled resources"
for resource in catalogue.json demo.integration.json samples/https.sample.json \
    icons/uptrends-studio-256.png; do
    [ -f "$dist/_internal/resources/$resource" ] || [ -f "$dist/resources/$resource" ] \
        || fail "resources/$resource is missing from the bundle"
done

echo "== smoke test: modules loaded by name at run time are in the bundle"
for module in uptrends_studio.gui.app keyring.backends.SecretService requests_ntlm \
    platformdirs jinja2 tzdata pygments.lexers.data pygments.lexers.html; do
    grep -q "'$module'" build/build_installer/PYZ-00.toc \
        || fail "module $module is missing from the bundle (see hiddenimports in the spec)"
done

echo "== smoke test: $cli --version"
printed=$("$cli" --version) || fail "'uptrends-studio --version' exited with $?"
[ "$printed" = "uptrends-studio $version" ] \
    || fail "'uptrends-studio --version' printed '$printed', expected 'uptrends-studio $version'"

# The built-in demo, and a gallery template when the checkout has one.
files=(demo)
[ ! -f resources/templates/pagerduty.integration.json ] \
    || files+=(resources/templates/pagerduty.integration.json)
for file in "${files[@]}"; do
    echo "== smoke test: uptrends-studio render $file --type all (text and JSON)"
    "$cli" render "$file" --type all > "$out/render.txt" 2> "$out/render.err" \
        || fail "'uptrends-studio render $file --type all' exited with $?: $(cat "$out/render.err")"
    grep -q '^### ' "$out/render.txt" \
        || fail "'uptrends-studio render $file --type all' printed no request"
    "$cli" render "$file" --type all --format json > "$out/render.json" \
        || fail "'uptrends-studio render $file --format json' exited with $?"
    "$bin/python$exe" -m json.tool "$out/render.json" > /dev/null \
        || fail "'uptrends-studio render $file --format json' did not print valid JSON"

    echo "== smoke test: uptrends-studio check $file"
    status=0
    "$cli" check "$file" > "$out/check.txt" 2>&1 || status=$?
    [ "$status" -le 1 ] || fail "'uptrends-studio check $file' exited with $status:
$(cat "$out/check.txt")"
    ! grep -q Traceback "$out/check.txt" || fail "'uptrends-studio check $file' crashed:
$(cat "$out/check.txt")"
done

# The shared libraries a command loads, one path a line, where the system can list them: glibc's
# loader (LD_DEBUG) and macOS dyld (DYLD_PRINT_LIBRARIES) report on stderr. Fails elsewhere.
loaded_libraries() {
    case "$(uname -s)" in
        Linux) { LD_DEBUG=libs "$@" 2>&1 > /dev/null || true; } | sed -n 's/.*calling init: //p' ;;
        Darwin)
            { DYLD_PRINT_LIBRARIES=1 "$@" 2>&1 > /dev/null || true; } \
                | sed -n 's/^dyld[^:]*: loaded: //p'
            ;;
        *) return 1 ;;
    esac
}

# The command line must not load Qt: PyInstaller's PySide6 runtime hook would (the spec puts
# scripts/rthook_cli_qt_paths.py in its place for this executable).
for command in "--version" "render demo --type all" "check demo"; do
    echo "== smoke test: uptrends-studio $command loads no Qt library"
    # shellcheck disable=SC2086 # the command's words are meant to split
    if ! loaded_libraries "$cli" $command > "$out/libraries.txt"; then
        echo "   (skipped: this system cannot list the libraries a program loads)"
        break
    fi
    grep -q "libpython" "$out/libraries.txt" \
        || fail "could not list the libraries 'uptrends-studio $command' loads (no libpython):
$(head -20 "$out/libraries.txt")"
    qt=$(grep -E 'Qt6|/PySide6/|/shiboken6/|Qt[A-Za-z]*\.framework' "$out/libraries.txt" || true)
    [ -z "$qt" ] || fail "'uptrends-studio $command' loaded Qt libraries:
$qt"
done

export QT_QPA_PLATFORM=offscreen
echo "== smoke test: $gui --quit-after-start (offscreen, on the demo)"
status=0
limited "$gui" --quit-after-start > "$out/gui.out" 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "the Studio exited with $status: $(cat "$out/gui.out")"
expect_quiet "the Studio" "$out/gui.out"

echo "== smoke test: $cli --quit-after-start (no subcommand opens the Studio)"
status=0
limited "$cli" --quit-after-start > "$out/cli-gui.out" 2>&1 || status=$?
[ "$status" -eq 0 ] \
    || fail "'uptrends-studio' (the Studio) exited with $status: $(cat "$out/cli-gui.out")"
expect_quiet "'uptrends-studio' (the Studio)" "$out/cli-gui.out"

echo "== smoke test: the Studio reports a missing file and opens the demo instead"
# A windowed Windows executable has no stderr to read; there the CLI opens the same window.
reporter=$gui
[ -z "$exe" ] || reporter=$cli
status=0
limited "$reporter" --quit-after-start "$out/missing.integration.json" > "$out/missing.out" 2>&1 \
    || status=$?
[ "$status" -eq 0 ] \
    || fail "the Studio on a missing file exited with $status: $(cat "$out/missing.out")"
grep -q "missing.integration.json" "$out/missing.out" \
    || fail "the Studio did not report the missing file: $(cat "$out/missing.out")"

size=$(du -sh "$dist" | cut -f1)
file_count=$(find "$dist" -type f | wc -l | tr -d ' ')
echo "== installer OK: $dist ($size, $file_count files), Uptrends Studio $version;" \
    "build ${build_seconds}s, build and smoke test $(($(date +%s) - started))s"
