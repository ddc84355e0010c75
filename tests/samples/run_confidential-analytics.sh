#!/bin/sh
# confidential-analytics, end to end on small data with development keys (the same flow through
# the key broker: tests/box/analytics_broker_test.sh): the owner encrypts a generated CSV, the enclave
# aggregates it, the owner decrypts the result and check.py compares it with aggregates it
# computes itself from the plaintext. Then a bad chunk, a malformed row, an input without a
# result key commitment and a result key the owner did not commit to: the job fails with a
# clear error and leaves no result file (nor a temporary one) behind.
set -eu
host=$1 image=$2
tool=${CCBOX_TOOL:-ccbox}
src=$(cd "$(dirname "$0")/../../samples/confidential-analytics" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$src/generate.py" "$dir/data.csv" 2000000 --groups 12
"$tool" box keygen --out "$dir/data.key"
"$tool" box keygen --out "$dir/result.key"
"$tool" box encrypt --key "$dir/data.key" --key-id sales --result-key "$dir/result.key" --chunk-size 65536 \
    "$dir/data.csv" "$dir/data.box"
run() { "$host" "$image" --in "$1" --out "$2" --result-key-id results --data-key "$dir/data.key" --result-key "$dir/result.key"; }
run "$dir/data.box" "$dir/result.box"
"$tool" box decrypt --key "$dir/result.key" "$dir/result.box" "$dir/result.csv"
python3 "$src/check.py" "$dir/data.csv" "$dir/result.csv"

python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p+'.bad','wb').write(b)" \
    "$dir/data.box"
if run "$dir/data.box.bad" "$dir/bad.box" 2>"$dir/err"; then echo "a tampered chunk was accepted"; exit 1; fi
grep -q "does not authenticate" "$dir/err" || { cat "$dir/err"; exit 1; }
printf 'group,value\na,1\nb,x\n' > "$dir/bad.csv"
"$tool" box encrypt --key "$dir/data.key" --key-id sales --result-key "$dir/result.key" "$dir/bad.csv" "$dir/badrow.box"
if run "$dir/badrow.box" "$dir/bad.box" 2>"$dir/err"; then echo "a malformed row was accepted"; exit 1; fi
grep -q "row 3: the value is not an integer" "$dir/err" || { cat "$dir/err"; exit 1; }
# The owner's commitment to the result key (docs/box-format.md): an input without one is refused,
# and so is a result key the owner did not commit to (one the host chose).
printf 'group,value\na,1\n' > "$dir/small.csv"
"$tool" box encrypt --key "$dir/data.key" --key-id sales "$dir/small.csv" "$dir/uncommitted.box"
if run "$dir/uncommitted.box" "$dir/bad.box" 2>"$dir/err"; then echo "an uncommitted input was accepted"; exit 1; fi
grep -q "commits to no result key" "$dir/err" || { cat "$dir/err"; exit 1; }
"$tool" box keygen --out "$dir/host.key"
if "$host" "$image" --in "$dir/data.box" --out "$dir/bad.box" --result-key-id results --data-key "$dir/data.key" \
    --result-key "$dir/host.key" 2>"$dir/err"; then
    echo "a result key the owner did not commit to was accepted"; exit 1
fi
grep -q "not the one the data owner committed to" "$dir/err" || { cat "$dir/err"; exit 1; }
# The release-only build refuses development keys.
release_only="${image%_enc.signed}_enc_release_only.signed"
if "$host" "$release_only" --in "$dir/data.box" --out "$dir/bad.box" --result-key-id results \
    --data-key "$dir/data.key" --result-key "$dir/result.key" 2>"$dir/err"; then
    echo "the release-only enclave took development keys"; exit 1
fi
grep -q "ca_use_development_keys: CCBOX_UNSUPPORTED" "$dir/err" || { cat "$dir/err"; exit 1; }
if ls "$dir" | grep -q '^bad\.box'; then echo "a failed job left a result file:"; ls "$dir"; exit 1; fi
echo "confidential-analytics: ok"
