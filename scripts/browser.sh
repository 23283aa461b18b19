#!/usr/bin/env bash
# Installs the browser of the UI test (ui.TemporalUiTest): Debian's Chromium and its ChromeDriver.
#
#   scripts/browser.sh            install when missing; silent and a no-op (well under 1 s) once both are there
#   scripts/browser.sh check      exit 0 when both are installed and of one version, else say what is missing
#   scripts/browser.sh versions   print both versions
#
# What is installed: Debian's packages `chromium` and `chromium-driver` (/usr/bin/chromium, /usr/bin/chromedriver),
# with `fonts-liberation` so that screenshots have real glyphs. Debian builds the two from one source package, so
# they always match; nothing downloads a browser or a driver of its own (the test points Selenium at
# /usr/bin/chromedriver, so Selenium Manager never runs).
#
# Idempotence: apt-get runs only when one of the two programs is missing or their versions differ (a half-done
# upgrade). Installing needs root; as another user it says what to run instead.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

say() { echo "browser.sh: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# "156.0.8078.108" from "Chromium 156.0.8078.108 built on Debian ..." or "ChromeDriver 156.0.8078.108 (...)".
version_of() {
    "$1" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -n 1
}

problem() {
    [ -x "$CHROMIUM" ] || {
        echo "no $CHROMIUM"
        return
    }
    [ -x "$CHROMEDRIVER" ] || {
        echo "no $CHROMEDRIVER"
        return
    }
    local browser driver
    browser=$(version_of "$CHROMIUM")
    driver=$(version_of "$CHROMEDRIVER")
    [ -n "$browser" ] || {
        echo "$CHROMIUM --version prints no version"
        return
    }
    [ "$browser" = "$driver" ] || echo "chromium $browser and chromedriver ${driver:-(no version)} differ"
}

install() {
    local why
    why=$(problem)
    [ -n "$why" ] || return 0
    [ "$(id -u)" -eq 0 ] || die "$why; as root run: apt-get install chromium chromium-driver fonts-liberation"
    command -v apt-get >/dev/null || die "$why, and there is no apt-get here; install Chromium and its ChromeDriver"
    say "$why: installing Debian's chromium and chromium-driver"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq chromium chromium-driver fonts-liberation >&2
    why=$(problem)
    [ -z "$why" ] || die "after apt-get install: $why"
}

case "${1:-install}" in
    install) install ;;
    check)
        why=$(problem)
        [ -z "$why" ] || die "$why"
        ;;
    versions)
        echo "chromium $(version_of "$CHROMIUM"), chromedriver $(version_of "$CHROMEDRIVER")"
        ;;
    *) die "unknown command '$1'; use install, check or versions" ;;
esac
