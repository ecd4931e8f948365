# cmake -DIN=file -DOUT=header.h -DNAME=symbol -P embed.cmake: writes the bytes of IN as
# `static const unsigned char NAME[] = {...};` (the Lua workload embeds its script this way).
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
       bytes "${bytes}")
file(WRITE "${OUT}" "// Generated from ${IN} by embed.cmake.\nstatic const unsigned char ${NAME}[] = {\n${bytes}};\n")
