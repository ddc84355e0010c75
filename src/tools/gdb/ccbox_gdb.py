# gdb support for ccbox enclaves in the sim backend (docs/debugging.md).
# Loaded by `ccbox-gdb` (or `source` it in gdb). When the host runtime loads a debug
# enclave it calls ccbox_debugger_enclave_loaded(path, base, size); this script stops
# there invisibly and adds the image's symbols at the enclave's load address, so
# breakpoints on enclave functions (set before `run`, pending) resolve and hit.
import gdb


def _argument(name, register):
    try:
        return gdb.parse_and_eval(name)
    except gdb.error:
        return gdb.parse_and_eval(register)


class _EnclaveLoaded(gdb.Breakpoint):
    def __init__(self):
        super().__init__("ccbox_debugger_enclave_loaded", internal=True)
        self.silent = True

    def stop(self):
        path = _argument("path", "(const char*)$rdi").string()
        base = int(_argument("base", "$rsi"))
        gdb.execute("add-symbol-file %s -o 0x%x" % (path, base), to_string=True)
        print("[ccbox] enclave %s loaded at 0x%x" % (path, base))
        return False


class _EnclaveUnloaded(gdb.Breakpoint):
    def __init__(self):
        super().__init__("ccbox_debugger_enclave_unloaded", internal=True)
        self.silent = True

    def stop(self):
        base = int(_argument("base", "$rsi"))
        try:
            gdb.execute("remove-symbol-file -a 0x%x" % base, to_string=True)
        except gdb.error:
            pass
        return False


gdb.execute("set breakpoint pending on")
_EnclaveLoaded()
_EnclaveUnloaded()
