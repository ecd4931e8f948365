#!/usr/bin/env python3
"""Writes malformed and invalid modules for the `glint validate` tests into OUT_DIR:
truncated.wasm (GOOD cut short), bad_magic.wasm, bad_version.wasm, bad_section_id.wasm,
section_size.wasm (a section longer than its contents), bad_leb.wasm, invalid_type.wasm
(decodes, fails validation) and empty.wasm.

  make_bad_modules.py GOOD.wasm OUT_DIR"""
import os
import sys

HEADER = b"\0asm\x01\0\0\0"


def main():
    good, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    data = open(good, "rb").read()
    # A type section: one type () -> (); a function section: one function of type 0.
    types = b"\x01\x04\x01\x60\x00\x00"
    modules = {
        "truncated": data[: len(data) * 2 // 3],
        "bad_magic": b"\0asn" + data[4:],
        "bad_version": b"\0asm\x02\0\0\0" + data[8:],
        "bad_section_id": HEADER + types + b"\x0e\x00",  # id 14 at offset 14
        "section_size": HEADER + b"\x01\x05\x01\x60\x00\x00\x00",  # 5 bytes, 4 used
        "bad_leb": HEADER + b"\x01\x80\x80\x80\x80\x80\x00",  # section size: 6-byte LEB128
        # func () -> () whose body leaves an i32 on the stack: decodes, does not validate.
        "invalid_type": HEADER + types + b"\x03\x02\x01\x00" + b"\x0a\x06\x01\x04\x00\x41\x01\x0b",
        "empty": b"",
    }
    for name, body in modules.items():
        with open(os.path.join(out, name + ".wasm"), "wb") as f:
            f.write(body)


if __name__ == "__main__":
    main()
