#!/usr/bin/env python3
"""An independent, deliberately simple re-implementation of ccbox's enclave layout and the
SDM's MRENCLAVE stream (docs/image-format.md, shared/reference/sgx-formats.md §1), used to
cross-check the C++ implementation: `reference_mrenclave.py IMAGE [CONF]` prints MRENCLAVE.

It reads the configuration the same way `ccbox measure` does: defaults, then the image's
.ccbox.props section, then the KEY=VALUE file.
"""
import hashlib
import struct
import sys

PAGE = 4096
GUARD = 16 * PAGE
SSA_FRAME_PAGES = 1
NSSA = 2
PT_LOAD, PT_TLS = 1, 7
PF_X, PF_W, PF_R = 1, 2, 4
PROPS_MAGIC = 0x31504F5250584243


def parse_elf(data):
    (phoff,) = struct.unpack_from("<Q", data, 32)
    (shoff,) = struct.unpack_from("<Q", data, 40)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 54)
    (entry,) = struct.unpack_from("<Q", data, 24)
    loads, tls = [], None
    for i in range(phnum):
        p_type, p_flags, p_offset, p_vaddr, _, p_filesz, p_memsz, p_align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD and p_memsz:
            loads.append((p_vaddr, p_memsz, p_offset, p_filesz, p_flags))
        elif p_type == PT_TLS:
            tls = (p_vaddr, p_filesz, p_memsz, p_align)
    loads.sort()
    sections = {}
    if shoff:
        str_off = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 24)[0]
        for i in range(shnum):
            name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
            end = data.index(b"\0", str_off + name)
            sections[data[str_off + name:end].decode()] = (off, size)
    return entry, loads, tls, sections


def base_config(data, sections):
    config = dict(flags=0, tcs=4, heap=1024, stack=64, prod=0, svn=0)
    if ".ccbox.props" in sections:
        off, _ = sections[".ccbox.props"]
        magic, _, _ = struct.unpack_from("<QII", data, off)
        assert magic == PROPS_MAGIC
        flags, tcs, heap, stack, prod, svn = struct.unpack_from("<IIQQHH", data, off + 16)
        config.update(flags=flags, tcs=tcs, heap=heap, stack=stack, prod=prod, svn=svn)
    return config


def apply_conf(config, path):
    keys = {"Debug": "flags", "NumTCS": "tcs", "NumHeapPages": "heap", "NumStackPages": "stack",
            "ProductID": "prod", "SecurityVersion": "svn"}
    for line in open(path):
        line = line.split("#")[0].strip()
        if line:
            key, value = (s.strip() for s in line.split("=", 1))
            config[keys[key]] = int(value, 0)
    return config


def measure(data, config):
    entry, loads, tls, _ = parse_elf(data)
    image_size = -(-(loads[-1][0] + loads[-1][1]) // PAGE) * PAGE
    tls_block = 0 if tls is None else -(-tls[2] // tls[3]) * tls[3]
    tls_pages = -(-tls_block // PAGE)
    heap_offset, heap_size = image_size, config["heap"] * PAGE
    stack = config["stack"] * PAGE
    ssa = NSSA * SSA_FRAME_PAGES * PAGE
    span = GUARD + stack + GUARD + PAGE + ssa + GUARD + tls_pages * PAGE + PAGE
    threads = heap_offset + heap_size
    end = threads + config["tcs"] * span
    size = 2 * PAGE
    while size < end:
        size *= 2

    stream = [struct.pack("<8sIQ44x", b"ECREATE\0", SSA_FRAME_PAGES, size)]

    def add(offset, flags, content):
        stream.append(struct.pack("<8sQQ40x", b"EADD\0\0\0\0", offset, flags))
        if content is not None:
            for chunk in range(0, PAGE, 256):
                stream.append(struct.pack("<8sQ48x", b"EEXTEND\0", offset + chunk) + content[chunk:chunk + 256])

    for page in range(0, image_size, PAGE):
        perms, buf, covered = 0, bytearray(PAGE), False
        for vaddr, memsz, off, filesz, pflags in loads:
            if vaddr < page + PAGE and page < vaddr + memsz:
                covered = True
                perms |= (1 if pflags & PF_R else 0) | (2 if pflags & PF_W else 0) | (4 if pflags & PF_X else 0)
                lo, hi = max(page, vaddr), min(page + PAGE, vaddr + filesz)
                if lo < hi:
                    buf[lo - page:hi - page] = data[off + lo - vaddr:off + hi - vaddr]
        if covered:
            add(page, 0x200 | perms, bytes(buf))
    for i in range(config["heap"]):
        add(heap_offset + i * PAGE, 0x203, None)
    for t in range(config["tcs"]):
        region = threads + t * span
        stack_off = region + GUARD
        tcs_off = stack_off + stack + GUARD
        ssa_off = tcs_off + PAGE
        tls_off = ssa_off + ssa + GUARD
        td_off = tls_off + tls_pages * PAGE
        for i in range(config["stack"]):
            add(stack_off + i * PAGE, 0x203, b"\xcc" * PAGE)
        tcs = struct.pack("<QQQIIQQQQII", 0, 0, ssa_off, 0, NSSA, entry, 0, td_off, td_off, 0xFFFFFFFF, 0xFFFFFFFF)
        add(tcs_off, 0x100, tcs + bytes(PAGE - len(tcs)))
        for i in range(ssa // PAGE):
            add(ssa_off + i * PAGE, 0x203, bytes(PAGE))
        for i in range(tls_pages):
            add(tls_off + i * PAGE, 0x203, bytes(PAGE))
        tmpl = (0, 0, 0) if tls is None else (tls[0], tls[1], tls[2])
        info = struct.pack("<QIIII17Q", 0x31445442584343, 1, t, config["tcs"], SSA_FRAME_PAGES,
                           size, image_size, heap_offset, heap_size, threads, span,
                           stack_off - region, stack, tcs_off - region, ssa_off - region, tls_off - region,
                           tls_block, td_off - region, tmpl[0], tmpl[1], tmpl[2], 0)
        td = bytearray(PAGE)
        td[0x100:0x100 + len(info)] = info
        add(td_off, 0x203, bytes(td))
    return hashlib.sha256(b"".join(stream)).hexdigest()


def main():
    data = open(sys.argv[1], "rb").read()
    config = base_config(data, parse_elf(data)[3])
    if len(sys.argv) > 2:
        config = apply_conf(config, sys.argv[2])
    print(measure(data, config))


if __name__ == "__main__":
    main()
