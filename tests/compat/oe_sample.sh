#!/bin/sh
# Builds one of Open Enclave's own samples, unchanged, from a copy, against the ccbox SDK
# installed by the oe_sdk fixture, the way its README says (mkdir build && cd build &&
# cmake .. && make), then runs its targets and checks what they print.
# Usage: oe_sample.sh PREFIX SAMPLES_DIR SAMPLE
# Exit 77 (skipped) when the samples are absent.
set -eu
prefix=$1 samples=$2 sample=$3
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$samples/$sample" ]; then
    echo "skipped: $samples/$sample is absent (Open Enclave's samples live in ../shared/testdata)"
    exit 77
fi
work=$(mktemp -d /tmp/ccbox-oe-$sample-XXXXXX)
state="$work/state"
cleanup() {
    "$prefix/bin/ccbox" platform stop --state-dir "$state" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
. "$(dirname "$0")/../support/step.sh"

cp -r "$samples/$sample" "$work/src"
mkdir "$work/src/build"
cd "$work/src/build"
# The installed ccboxd is found on PATH; each test has its own platform.
export PATH="$prefix/bin:$PATH" CCBOX_STATE_DIR="$state" CCBOX_PLATFORM_IDLE_EXIT=10
unset CCBOX_PLATFORM_PATH CCBOX_SIMULATE OE_SIMULATION
compiler=
if [ "${OE_SAMPLE_CLANG:-}" = 1 ]; then
    command -v clang >/dev/null && command -v clang++ >/dev/null || { echo "skipped: no clang"; exit 77; }
    compiler="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++"
fi
# shellcheck disable=SC2086
step cmake .. -DCMAKE_PREFIX_PATH="$prefix" $compiler

# expect LOG TEXT...: each TEXT must be a line of LOG's output.
expect() {
    log=$1
    shift
    for text in "$@"; do
        if ! grep -qF -- "$text" "$log"; then
            echo "$sample: expected \"$text\" in:"
            cat "$log"
            exit 1
        fi
    done
}

# run TARGET BACKEND: `make TARGET`, output in $work/TARGET-BACKEND.log
run() {
    log="$work/$1-$2.log"
    if [ "$2" = sim ]; then env CCBOX_SIMULATE=1 make "$1" >"$log" 2>&1 || status=$?; else make "$1" >"$log" 2>&1 || status=$?; fi
    if [ "${status:-0}" != 0 ]; then
        echo "$sample: make $1 ($2) failed:"
        cat "$log"
        exit 1
    fi
    echo "$sample: make $1 ($2): ok"
}

step make
case $sample in
attested_tls)
    # The README's run target: a server enclave and a client enclave establish attested TLS
    # (each verifies the other's certificate), then a non-enclave client talks to a second
    # server enclave; the enclaves' sockets are OE's host socket layer (docs/openenclave.md
    # "Sockets"). A server left waiting by a failed run is ended by its pid (reap).
    reap() {
        for exe in /proc/[0-9]*/exe; do
            case $(readlink "$exe" 2>/dev/null) in "$work"/*) pid=${exe#/proc/}; kill "${pid%/exe}" 2>/dev/null || true ;; esac
        done
    }
    trap 'reap; cleanup' EXIT
    for b in isolated sim; do
        run run $b
        reap
        l="$work/run-$b.log"
        expect "$l" "TLS client: successfully established TLS channel:TLSv1.3" "TLS client: unique_id validation passed" \
            "TLS client:  received all the expected data from server" "TLS server: <---- Read from client:" \
            "TLS client: connected to localhost:12341" "TLS client: connected to localhost:12345"
        n=$(grep -c "^TLS client:  success" "$l" || true)
        [ "$n" = 2 ] || { echo "attested_tls ($b): $n clients succeeded, expected 2 (the enclave and the non-enclave client)"; cat "$l"; exit 1; }
    done
    ;;
helloworld)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "Hello world from the enclave" "Enclave called into host to print: Hello World!"
    done
    ;;
file-encryptor)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "Host: /tmp" "Host: two files are equal" "Host: Sample completed successfully."
    done
    ;;
log_callback)
    for b in isolated sim; do
        rm -f oe_host_out.txt oe_enclave_out.txt
        if [ $b = sim ]; then run simulate sim; l="$work/simulate-sim.log"; else run run isolated; l="$work/run-isolated.log"; fi
        expect "$l" "Enclave called into host to print: Hello!" "Please check ./oe_host_out.txt"
        [ -f oe_host_out.txt ] && [ -f oe_enclave_out.txt ] || { echo "log_callback: the log files are missing"; exit 1; }
    done
    ;;
debugmalloc)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "There are 1 un-freed objects reported:" "There are 3 un-freed objects reported:" \
            "Enclave called into host to print: Hello World!"
    done
    ;;
pluggable_allocator)
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" "num-threads = 8:" "dlmalloc   (default allocator) =" "oesnmalloc (pluggable allocator) ="
    done
    # the link of enclave_custom says that oesnmalloc is ccbox's default allocator
    expect "$work/step.log" "openenclave::oesnmalloc: ccbox has no snmalloc"
    ;;
data-sealing)
    # Its ECALLs return sealed blobs through deep-copied [out] structs whose buffers the enclave
    # allocates, and the host frees them with free() (docs/edl.md, "Deep copy"). The host checks
    # every unseal itself and prints "Sample completed successfully" only when all held.
    run run isolated
    run run sim
    for l in "$work"/run-isolated.log "$work"/run-sim.log; do
        expect "$l" "Host: data successfully sealed" "data=test plaintext" \
            "Host: Succeeded: sealing and unsealing data on the same enclave worked as expected " \
            "Host: operation succeeded: unseal data from a different enclave of the same product." \
            "Host: operation succeeded: completed as expected" "Host: Sample completed successfully."
        # three rounds: POLICY_UNIQUE, POLICY_PRODUCT, POLICY_UNIQUE without the optional message
        [ "$(grep -c 'Host: data successfully sealed' "$l")" = 3 ] || { echo "data-sealing: not 3 seals"; cat "$l"; exit 1; }
    done
    ;;
switchless)
    # 4 x 1,000,000 calls: switchless OCALLs through a host worker, switchless ECALLs through an
    # enclave worker, and as many ordinary ones; both backends (run alone: RUN_SERIAL).
    run run isolated
    run simulate sim
    for l in "$work"/run-isolated.log "$work"/simulate-sim.log; do
        expect "$l" \
            "1000000 host_increment_switchless() calls: 1000000 + 1000000 = 2000000." \
            "1000000 host_increment_regular() calls: 1000000 + 1000000 = 2000000." \
            "1000000 enclave_decrement_switchless() calls: 1000000 - 1000000 = 0." \
            "1000000 enclave_decrement_regular() calls: 1000000 - 1000000 = 0."
    done
    grep -h "Time spent" "$work"/run-isolated.log "$work"/simulate-sim.log
    ;;
attestation)
    # local (runsgxlocal) and remote (runsgxremote), both directions, each backend; `run` is
    # both. The remote verification inside the enclaves is under the root their host supplies
    # (the sample passes none): it says so once per enclave.
    run run isolated
    run run sim
    for l in "$work"/run-isolated.log "$work"/run-sim.log; do
        expect "$l" "attestation succeeded" "verify_evidence_and_set_public_key succeeded." \
            "Decrypted data matches with the enclave internal secret" "Host: Success" "Host:  succeeded" \
            "the evidence is verified under the root the host supplied"
        if grep -q "Host:  failed" "$l"; then echo "attestation: a run failed:"; cat "$l"; exit 1; fi
    done
    ;;
host_verify)
    # No enclave: with no files its `run` prints the usage. OE's README makes the files with
    # `oeutil generate-evidence`; here an enclave of our own (tests/compat/attestation) makes
    # them, as ccbox evidence: SGX ECDSA evidence, its endorsements (the platform's collateral)
    # and an attestation certificate, in each backend. CMake looks for them at configure time.
    run run isolated
    expect "$work/run-isolated.log" "Usage:" "-v <evidence_file> [-e <endorsement_file>]"
    step cmake -S "$here/attestation" -B "$work/maker" -DCMAKE_PREFIX_PATH="$prefix"
    step cmake --build "$work/maker"
    for b in isolated sim; do
        rm -f sgx_evidence.bin sgx_endorsements.bin sgx_cert_ec.der
        if [ $b = sim ]; then export OE_ATTEST_SIMULATE=1; else unset OE_ATTEST_SIMULATE; fi
        step "$work/maker/oe_attest_host" "$work/maker/enclave_b.signed" --export "$PWD"
        step cmake .
        run run $b
        expect "$work/run-$b.log" "Evidence verification succeeded (0)." "Certificate verification succeeded (0)." \
            "Enclave unique_id:" "Enclave signer_id:"
        [ "$(grep -c 'Evidence verification succeeded' "$work/run-$b.log")" = 2 ] ||
            { echo "host_verify: -v and -v -e did not both succeed"; cat "$work/run-$b.log"; exit 1; }
        # a changed byte of the quote's MRENCLAVE is refused (OE_QUOTE_VERIFICATION_ERROR = 48)
        python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[112]^=1; open(p,'wb').write(b)" \
            sgx_evidence.bin
        ./host_verify -v sgx_evidence.bin >"$work/bad-$b.log" 2>&1 || true
        expect "$work/bad-$b.log" "Evidence verification failed (48)."
    done
    unset OE_ATTEST_SIMULATE
    ;;
*)
    echo "oe_sample.sh: no checks for $sample"
    exit 1
    ;;
esac
