#!/bin/sh
# data-sealing: seal in one run, unseal in the next, with both policies; a changed blob fails.
set -eu
host=$1 image=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for policy in unique product; do
    "$host" "$image" seal "$policy" "secret for $policy" "$dir/$policy.blob" >/dev/null
    out=$("$host" "$image" unseal "$dir/$policy.blob")
    [ "$out" = "unsealed: secret for $policy" ] || { echo "unseal ($policy) printed: $out"; exit 1; }
done
# Flip one byte of the sealed data: unsealing must fail.
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[-3]^=1; open(p,'wb').write(b)" \
    "$dir/product.blob"
if "$host" "$image" unseal "$dir/product.blob" >/dev/null 2>&1; then
    echo "a changed blob was unsealed"
    exit 1
fi
