// Dispatch profiler for engine work, compiled in only with -DGLINT_PROFILE_DISPATCH (see
// runtime/DESIGN.md): counts every dispatch by code position and, at exit, prints to stderr the
// share of each internal instruction and the hot code in address order, which reads like a
// disassembly of the hot loops. Slow (a hash lookup per dispatch): never in a release build.
#pragma once
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compile/code.h"
// Both copies of the interpreter (execute/interpreters.h) include this: each has its own profile,
// and only the one that runs counts anything.
namespace glint::detail {
namespace {
const char* const kOpNames[] = {
#define OP(n) #n,
#define UN(n) #n,
#define BIN(n) #n "_ss", #n "_si",
#define CMPBR(n) "Br" #n "_ss", "Br" #n "_si", "Br" #n "_ss_loop", "Br" #n "_si_loop",
#define NOTBR(n) "BrNot" #n "_ss", "BrNot" #n "_si",
#define LOAD(n) #n, #n "_add", #n "_idx",
#define STORE(n) #n, #n "_add", #n "_idx", #n "_k", #n "_addk",
#define MEMOP(n, t) #n "_sm", #n "_rmw",
#define MEMREV(n, t) #n "_ms",
#define MEMNARROW(n) #n "_sm8s", #n "_sm8u", #n "_sm16s", #n "_sm16u",
#define INCBR(n) \
  "BrInc" #n "_ss_loop", "BrInc" #n "_si_loop", "BrInc" #n "_ss_reg", "BrInc" #n "_si_reg",
#include "execute/iops.def"
#define TWIN(n) #n "_twin",
#include "execute/twins.def"
#define ACC_BIN(n) #n "_as", #n "_ai",
#define ACC_UN(n) #n "_a",
#define ACC_SAME(n) #n "_aa",
#define ACC_CMPBR(n) "Br" #n "_as", "Br" #n "_ai", "Br" #n "_as_loop", "Br" #n "_ai_loop",
#define ACC_NOTBR(n) "BrNot" #n "_as", "BrNot" #n "_ai",
#define ACC_COPY(t) "Copy" #t, "Copy" #t "_a",
#define ACC_PAIR(acc, slot) #acc,
#include "execute/acc_iops.def"
#define IACC(acc, slot) #acc,
#include "execute/iacc_iops.def"
#define SLOTLESS(slot) #slot "_noslot",
#include "execute/slotless_iops.def"
#define VOP(n) #n,
#define VLOAD(n, bytes) #n, #n "_add",
#define VUN(n) #n,
#define VBIN(n) #n,
#define VTERN(n) #n,
#define VTEST(n) #n,
#define VSHIFT(n) #n, #n "_si",
#define VSPLAT(n) #n,
#include "execute/simd_iops.def"
};
struct Prof {
  std::unordered_map<const Cell*, uint64_t> hits;
  std::unordered_map<const Cell*, const void*> opat;
  // The function and wasm offset of each position, from its first dispatch: the hot code
  // listing names them, to find the wasm a hot sequence came from (wasm-objdump -d).
  std::unordered_map<const Cell*, std::pair<uint32_t, uint32_t>> where;
  struct PairHash {
    size_t operator()(const std::pair<const void*, const void*>& p) const {
      return std::hash<const void*>()(p.first) * 31 + std::hash<const void*>()(p.second);
    }
  };
  std::unordered_map<std::pair<const void*, const void*>, uint64_t, PairHash> pairs;
  const void* previous = nullptr;  // the handler dispatched last
  ~Prof() {
    if (hits.empty()) return;  // the copy of the interpreter that did not run
    std::vector<std::pair<const Cell*, uint64_t>> v(hits.begin(), hits.end());
    uint64_t total = 0;
    std::unordered_map<const void*, uint64_t> byop;
    for (auto& [pc, n] : v) {
      total += n;
      byop[opat[pc]] += n;
    }
    auto name = [](const void* op) {
      const void* const* handlers = handler_table();
      for (size_t i = 0; i < size_t(IOp::Count); i++)
        if (handlers[i] == op) return kOpNames[i];
      return "?";
    };
    std::vector<std::pair<const void*, uint64_t>> ops(byop.begin(), byop.end());
    std::sort(ops.begin(), ops.end(), [](auto& a, auto& b) { return a.second > b.second; });
    fprintf(stderr, "total dispatches %llu\n", (unsigned long long)total);
    // GLINT_PROFILE_OPS=N lists the N most frequent instructions (default 40).
    const char* nops = getenv("GLINT_PROFILE_OPS");
    size_t shown_ops = nops ? strtoull(nops, nullptr, 10) : 40;
    for (size_t i = 0; i < ops.size() && i < shown_ops; i++)
      fprintf(stderr, "%6.2f%% %s\n", 100.0 * ops[i].second / total, name(ops[i].first));
    std::sort(v.begin(), v.end());
    // What runs right after each Const (3 cells), by count: constants that needed code.
    std::unordered_map<std::string, uint64_t> after_const;
    for (auto& [pc, n] : v)
      if (std::string(name(opat[pc])) == "Const" && hits.count(pc + 3))
        after_const[name(opat[pc + 3])] += n;
    std::vector<std::pair<std::string, uint64_t>> ac(after_const.begin(), after_const.end());
    std::sort(ac.begin(), ac.end(), [](auto& a, auto& b) { return a.second > b.second; });
    fprintf(stderr, "---- after Const\n");
    for (size_t i = 0; i < ac.size() && i < 12; i++)
      fprintf(stderr, "%10llu %s\n", (unsigned long long)ac[i].second, ac[i].first.c_str());
    // Pairs in execution order (an instruction and the one dispatched right after it, jumps
    // included): candidates for fusion, and the jumps that decide what a handler's dispatch
    // has to predict.
    std::vector<std::pair<std::pair<const void*, const void*>, uint64_t>> pv(pairs.begin(),
                                                                             pairs.end());
    std::sort(pv.begin(), pv.end(), [](auto& a, auto& b) { return a.second > b.second; });
    fprintf(stderr, "---- pairs in execution order\n");
    // GLINT_PROFILE_PAIRS=N lists the N most frequent pairs (default 40).
    const char* npairs = getenv("GLINT_PROFILE_PAIRS");
    size_t shown_pairs = npairs ? strtoull(npairs, nullptr, 10) : 40;
    for (size_t i = 0; i < pv.size() && i < shown_pairs; i++)
      fprintf(stderr, "%6.2f%% %s -> %s\n", 100.0 * pv[i].second / total, name(pv[i].first.first),
              name(pv[i].first.second));
    // The same around the moves (Copy, Copy2, Const), which fusions exist to remove: what
    // comes before them tells which translation left them.
    fprintf(stderr, "---- pairs with a move\n");
    size_t shown = 0;
    for (size_t i = 0; i < pv.size() && shown < 24; i++) {
      std::string a = name(pv[i].first.first), b = name(pv[i].first.second);
      if (a.rfind("Co", 0) != 0 && b.rfind("Co", 0) != 0) continue;
      fprintf(stderr, "%6.2f%% %s -> %s\n", 100.0 * pv[i].second / total, a.c_str(), b.c_str());
      shown++;
    }
    // Dispatches by wasm function (its index in the function space: `wasm-objdump -x` names
    // it; from `where`), GLINT_PROFILE_FUNCS=N of them (default 20).
    std::unordered_map<uint32_t, uint64_t> byfunc;
    for (auto& [pc, n] : v)
      if (auto w = where.find(pc); w != where.end()) byfunc[w->second.first] += n;
    std::vector<std::pair<uint32_t, uint64_t>> fv(byfunc.begin(), byfunc.end());
    std::sort(fv.begin(), fv.end(), [](auto& a, auto& b) { return a.second > b.second; });
    const char* nfuncs = getenv("GLINT_PROFILE_FUNCS");
    size_t shown_funcs = nfuncs ? strtoull(nfuncs, nullptr, 10) : 20;
    fprintf(stderr, "---- by function\n");
    for (size_t i = 0; i < fv.size() && i < shown_funcs; i++)
      fprintf(stderr, "%6.2f%% func[%u]\n", 100.0 * fv[i].second / total, fv[i].first);
    // GLINT_PROFILE_HOT=N lists positions of at least 1/N of the dispatches (default 300).
    const char* hot = getenv("GLINT_PROFILE_HOT");
    uint64_t per = hot ? strtoull(hot, nullptr, 10) : 300;
    fprintf(stderr, "---- hot code (>1/%llu) in address order\n", (unsigned long long)per);
    const Cell* last = nullptr;
    for (auto& [pc, n] : v) {
      if (n * per < total) continue;
      if (last && pc - last > 8) fprintf(stderr, "   ...\n");
      auto [func, offset] = where[pc];
      fprintf(stderr, "%p %10llu %-24s func %u @0x%x\n", (const void*)pc, (unsigned long long)n,
              name(opat[pc]), func, offset);
      last = pc;
    }
  }
} g_prof;
inline void prof_hit(const Cell* pc, const CompiledFunc* func) {
  if (g_prof.hits[pc]++ == 0 && func)
    g_prof.where[pc] = {func->func_index, func->wasm_offset_at(pc)};
  g_prof.opat[pc] = pc->op;
  if (g_prof.previous) g_prof.pairs[{g_prof.previous, pc->op}]++;
  g_prof.previous = pc->op;
}
}  // namespace
}  // namespace glint::detail
