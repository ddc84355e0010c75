#!/bin/sh
# The main job, end to end, on embedded defaults: encrypted data goes into an enclave, the key
# is released to it only after attestation, it aggregates 200 MB of CSV inside and hands out the
# result encrypted; the owner decrypts and checks it. A modified enclave is refused its key.
# (The SDK tour that used to be here: scripts/demo-sdk.sh.)
# CCBOX_DEMO_SIZE=bytes changes the data size (default 200000000).
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
B=$PWD/build
CCBOX=$B/bin/ccbox
APP=$B/samples/confidential-analytics
SRC=$PWD/samples/confidential-analytics
SIZE=${CCBOX_DEMO_SIZE:-200000000}
MARKER=ZZTOPSECRETQUARTERLYZZ
work=$(mktemp -d /tmp/ccbox-demo-XXXXXX)
state=$work/platform
broker_pid=
cleanup() {
    [ -z "$broker_pid" ] || kill "$broker_pid" 2>/dev/null || true
    "$CCBOX" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }
say() { printf '   %s\n' "$*"; }
# indent CMD...: runs CMD, shows its output indented; stops the demo if it fails.
indent() {
    if ! "$@" >"$work/out" 2>&1; then sed 's/^/   /' "$work/out"; echo "   failed: $*"; exit 1; fi
    sed 's/^/   /' "$work/out"
}
# The first 64 bytes of FILE, in hex and as text (od: coreutils, on every machine).
hexdump64() { od -A x -t x1z -N 64 "$1" | sed 's/^/   /'; }
# progress FILE TOTAL PID: a bar for a long step, from the size of the file it writes.
progress() {
    while kill -0 "$3" 2>/dev/null; do
        size=$(stat -c %s "$1" 2>/dev/null || echo 0)
        pct=$((size * 100 / $2)); [ "$pct" -le 100 ] || pct=100
        n=$((pct * 40 / 100))
        printf '\r   [%-40s] %3d%%  %d MB' "$(printf '%*s' "$n" '' | tr ' ' '#')" "$pct" $((size / 1000000))
        sleep 0.2
    done
    wait "$3"
    printf '\r   [%-40s] 100%%  %d MB\n' "$(printf '%40s' '' | tr ' ' '#')" $(($(stat -c %s "$1") / 1000000))
}

step "1. the platform (ccboxd), started for this job"
say "The host library starts a platform on demand; this demo starts its own (state in"
say "$state) with a 47 MiB EPC, so that the data is four times what the EPC could hold."
"$CCBOX" platform start --state-dir "$state" --epc 47MiB >/dev/null
export CCBOX_STATE_DIR="$state"
indent "$CCBOX" platform status --state-dir "$state"

step "2. the enclave and its identity"
say "The analytics enclave the owner trusts (the release-only build: no development-key path):"
"$CCBOX" inspect "$APP/analytics_enc_release_only.signed" | grep -E 'mrenclave|mrsigner|debug|layout' | sed 's/^/   /'
MRENCLAVE=$("$CCBOX" inspect --json "$APP/analytics_enc_release_only.signed" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["mrenclave"])')

if "$CCBOX" --help | grep -q "^  keybroker "; then
    . "$PWD/scripts/demo-broker.sh"
else
    step "3. keys (no key broker in this build: development keys)"
    say "ccbox keybroker is not in this build, so the keys are handed to the (development) enclave"
    say "directly, WITHOUT attestation: the host could read them. The release path is the default"
    say "once the broker is built (samples/confidential-analytics/README.md)."
    "$CCBOX" box keygen --out "$work/data.key"
    "$CCBOX" box keygen --out "$work/result.key"
    ENCLAVE=$APP/analytics_enc.signed
    KEYS="--data-key $work/data.key --result-key $work/result.key"
fi

step "4. the data owner's data: $((SIZE / 1000000)) MB of group,value rows"
python3 "$SRC/generate.py" "$work/data.csv" "$SIZE" --marker "$MARKER" &
progress "$work/data.csv" "$SIZE" $!
say "$(($(wc -l < "$work/data.csv") - 1)) rows; one group is named $MARKER, a marker to look for later."

step "5. the owner encrypts it (ccbox box encrypt: chunked AES-256-GCM, docs/box-format.md)"
say "The header commits to the result key (--result-key), so the enclave refuses any other result"
say "key a host might hand it (a JWE from a broker of its own, say)."
"$CCBOX" box encrypt --key "$work/data.key" --key-id sales --result-key "$work/result.key" \
    "$work/data.csv" "$work/data.box" &
progress "$work/data.box" "$SIZE" $!
indent "$CCBOX" box inspect "$work/data.box"

step "6. what the host gets: ciphertext"
say "The first 64 bytes of data.box (the header, then ciphertext):"
hexdump64 "$work/data.box"
say "grep for the marker: plaintext $(grep -c "$MARKER" "$work/data.csv") lines, data.box $(grep -c "$MARKER" "$work/data.box" || true)"

step "7. the enclave processes it"
say "The host streams data.box into the enclave 1 MiB at a time; the enclave verifies and"
say "decrypts each chunk, aggregates the rows, and writes the result encrypted under the result key."
# shellcheck disable=SC2086
"$APP/analytics_host" "$ENCLAVE" --in "$work/data.box" --out "$work/result.box" --result-key-id results \
    $KEYS --progress
[ -f "$work/result.box" ] || { say "the job failed"; exit 1; }
say "result.box holds the marker? $(grep -c "$MARKER" "$work/result.box" || true) times; its first bytes:"
hexdump64 "$work/result.box"

step "8. the owner decrypts the result and checks it"
"$CCBOX" box decrypt --key "$work/result.key" "$work/result.box" "$work/result.csv"
head -6 "$work/result.csv" | python3 -c '
import sys
rows = [l.rstrip("\n").split(",") for l in sys.stdin]
w = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for r in rows: print("   " + "  ".join(c.rjust(w[i]) if i else c.ljust(w[i]) for i, c in enumerate(r)))'
say "... ($(($(wc -l < "$work/result.csv") - 1)) groups)"
say "Recomputing every aggregate from the plaintext, independently (Python):"
indent python3 "$SRC/check.py" "$work/data.csv" "$work/result.csv"

if [ -n "${REFUSAL:-}" ]; then
    step "9. a modified enclave asks for the same key"
    eval "$REFUSAL"
fi
echo
echo "Done. The demo's platform, broker and files go away now (scripts/demo-sdk.sh tours the SDK)."
