#!/usr/bin/env bash
# Fetches the official flyteidl protos that WireCompatibilityTest compares proto/ against.
#
# Downloads @flyteorg/flyteidl from npm (the only place the protos are published as a
# versioned artifact we can reach), checks it against a pinned hash, and copies into
# target/official-flyteidl/ just the connector API files and the flyteidl files they import.
# Nothing here is committed: target/ is git-ignored.
#
# Idempotent: once a complete copy of this version is in place, it exits without network access.
set -euo pipefail

readonly PACKAGE="@flyteorg/flyteidl"
readonly VERSION="1.16.5"
readonly TARBALL_URL="https://registry.npmjs.org/@flyteorg/flyteidl/-/flyteidl-${VERSION}.tgz"
# npm's dist.integrity for this version, as hex, so the curl path is checked as strictly as npm checks itself.
readonly TARBALL_SHA512="98c8e3c3343ebfdb734a8211834539d3a511e2d4726fcb6c6297331c9e9c1e6f59f88113c13240da357c35df28a563598103aaf67b93dfde0b798cf7f4a5636a"
# The files our proto/ mirrors; their flyteidl imports are followed, not listed, so a new
# import in a later flyteidl version cannot be silently missed.
readonly ENTRY_POINTS=(flyteidl/service/agent.proto flyteidl/admin/agent.proto)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${root}/target/official-flyteidl"
stamp="${out}/.fetched"

if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${PACKAGE}@${VERSION}" ]]; then
    exit 0
fi

mkdir -p "${root}/target"
# Work inside target/ so the final move is a rename, and a half-done fetch never looks complete.
work="$(mktemp -d "${root}/target/.official-flyteidl.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

tarball="${work}/flyteidl-${VERSION}.tgz"
if command -v npm >/dev/null 2>&1; then
    # npm pack honours the user's npm config (registry mirror, proxy, cache). It prints the
    # tarball's name on stdout; --loglevel=error keeps its notices out but not its errors.
    if ! name="$(cd "${work}" && npm pack --loglevel=error "${PACKAGE}@${VERSION}" | tail -n 1)"; then
        echo "fetch-official-flyteidl: npm pack ${PACKAGE}@${VERSION} failed (see npm's error above)" >&2
        exit 1
    fi
    mv "${work}/${name}" "${tarball}"
else
    if ! curl -fsSL --retry 3 -o "${tarball}" "${TARBALL_URL}"; then
        echo "fetch-official-flyteidl: could not download ${TARBALL_URL}" >&2
        exit 1
    fi
fi
# macOS has shasum but no sha512sum.
if command -v sha512sum >/dev/null 2>&1; then
    actual="$(sha512sum "${tarball}")"
else
    actual="$(shasum -a 512 "${tarball}")"
fi
if [[ "${actual%% *}" != "${TARBALL_SHA512}" ]]; then
    echo "fetch-official-flyteidl: ${PACKAGE}@${VERSION} does not match the pinned sha512" >&2
    exit 1
fi

# The LICENSE (Apache-2.0) travels with the copies.
tar -xzf "${tarball}" -C "${work}" package/protos package/LICENSE
src="${work}/package/protos"
dst="${work}/out"

# Removes what only grpc-gateway and its OpenAPI generator use: their imports and their
# option blocks, which may span lines and nest braces. Braces inside string literals (the
# HTTP path templates) are not counted.
strip_gateway_options() {
    awk '
        /^[[:space:]]*import[[:space:]]+"(google\/api|protoc-gen-openapiv2)\// { next }
        !skipping && /option[[:space:]]*\((google\.api|grpc\.gateway\.protoc_gen_openapiv2)\./ {
            skipping = 1; depth = 0
        }
        skipping {
            s = $0
            gsub(/"([^"\\]|\\.)*"/, "", s)
            depth += gsub(/\{/, "", s) - gsub(/\}/, "", s)
            if (depth <= 0 && index(s, ";") > 0) { skipping = 0 }
            next
        }
        { print }
    ' "$1"
}

# A plain list rather than an associative array: macOS still ships bash 3.2.
queue=("${ENTRY_POINTS[@]}")
seen=" "
count=0
while ((${#queue[@]} > 0)); do
    file="${queue[0]}"
    queue=("${queue[@]:1}")
    [[ "${seen}" == *" ${file} "* ]] && continue
    seen+="${file} "
    count=$((count + 1))
    if [[ ! -f "${src}/${file}" ]]; then
        echo "fetch-official-flyteidl: ${file} is not in ${PACKAGE}@${VERSION}" >&2
        exit 1
    fi
    mkdir -p "$(dirname "${dst}/${file}")"
    strip_gateway_options "${src}/${file}" > "${dst}/${file}"
    while read -r imported; do
        case "${imported}" in
            flyteidl/*) queue+=("${imported}") ;;
            google/protobuf/*) ;; # well-known types come with protobuf-java
            *)
                echo "fetch-official-flyteidl: ${file} imports ${imported}, which nothing provides" >&2
                exit 1
                ;;
        esac
    done < <(sed -n 's/^[[:space:]]*import[[:space:]]*\(public[[:space:]]*\)\{0,1\}"\([^"]*\)".*/\2/p' "${dst}/${file}")
done

# Anything of the gateway left (an option form the filter does not know) would break protoc
# later with a less obvious message.
if grep -rlE 'google\.api\.|protoc_gen_openapiv2' "${dst}" >/dev/null; then
    echo "fetch-official-flyteidl: gateway options left after stripping in:" >&2
    grep -rlE 'google\.api\.|protoc_gen_openapiv2' "${dst}" >&2
    exit 1
fi

cp "${work}/package/LICENSE" "${dst}/LICENSE"
echo "${PACKAGE}@${VERSION}" > "${dst}/.fetched"
rm -rf "${out}"
mv "${dst}" "${out}"
echo "fetch-official-flyteidl: ${count} files of ${PACKAGE}@${VERSION} in ${out#"${root}"/}"
