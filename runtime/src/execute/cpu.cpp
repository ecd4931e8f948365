#include "execute/cpu.h"

#include <cstdlib>
#include <cstring>

namespace glint::detail {

static CpuFeatures detect() {
  CpuFeatures f;
  __builtin_cpu_init();
  f.sse41 = __builtin_cpu_supports("sse4.1");
  const char* pretend = std::getenv("GLINT_CPU");
  if (pretend && std::strcmp(pretend, "baseline") == 0) f = CpuFeatures{};
  return f;
}

static CpuFeatures& features() {
  static CpuFeatures f = detect();
  return f;
}

const CpuFeatures& cpu_features() { return features(); }
void set_cpu_features(const CpuFeatures& f) { features() = f; }

}  // namespace glint::detail
