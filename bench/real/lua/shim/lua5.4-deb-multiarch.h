// Debian's patch to luaconf.h includes this header, which its build generates, for the module
// search path (unused here: the workload loads no modules).
#pragma once
#define DEB_HOST_MULTIARCH "none"
