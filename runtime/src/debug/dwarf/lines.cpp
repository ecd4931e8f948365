// Line tables: code offset -> source place (with the inlined calls around it) and source line
// -> the code a breakpoint on it stops at. Built from every compilation unit's line program
// when the reader opens; the DIEs are read only when a question needs them (LLVM parses a
// unit's DIEs on first access).
#include <llvm/DebugInfo/DWARF/DWARFCompileUnit.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <chrono>
#include <exception>

#include "debug/dwarf/llvm_reader.h"

namespace glint::detail {

using llvm::DWARFDebugLine;
using llvm::DWARFDie;

namespace {

constexpr size_t kMaxProblems = 20;
// DWARF addresses wasm-ld writes for code it dropped (lld/wasm: -1, and -2 where -1 means
// something else): not a problem, just no code.
constexpr uint64_t kTombstones = 0xfffffffe;
// A line without code moves to the next one that has some, this far at most.
constexpr uint32_t kLineSearch = 20;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

LlvmReader::LlvmReader(const DwarfInput& input) : input_(input) {
  auto start = std::chrono::steady_clock::now();
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> sections;
  for (const auto& s : input_.sections) {
    llvm::StringRef data(reinterpret_cast<const char*>(s.data.data()), s.data.size());
    // LLVM names sections without the leading dot ("debug_info").
    sections[s.name.substr(1)] = llvm::MemoryBuffer::getMemBuffer(data, s.name, false);
  }
  auto report = [this](llvm::Error e) { problem(llvm::toString(std::move(e))); };
  context_ = llvm::DWARFContext::create(sections, 4, true, report, report);
  read_line_tables();
  read_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void LlvmReader::problem(std::string text) {
  // LLVM names the unit but not its section in some messages.
  if (text.starts_with("DWARF unit") || text.starts_with("DWARF compile unit"))
    text = ".debug_info: " + text;
  if (problems_.size() >= kMaxProblems) {
    dropped_problems_++;
    return;
  }
  if (std::find(problems_.begin(), problems_.end(), text) == problems_.end())
    problems_.push_back(std::move(text));
}

DwarfInfo LlvmReader::info() {
  DwarfInfo d;
  d.present = true;
  d.lines = !ranges_.empty();
  d.files = files_.size();
  d.functions = sequences_;
  d.problems = problems_;
  if (dropped_problems_)
    d.problems.push_back("(and " + std::to_string(dropped_problems_) + " more problems)");
  d.read_ms = read_ms_;
  return d;
}

// --- reading the line tables ---------------------------------------------------------------

void LlvmReader::read_line_tables() {
  for (const auto& unit : context_->compile_units()) {
    auto report = [this, &unit](llvm::Error e) {
      problem(".debug_line of the unit at .debug_info " + hex(unit->getOffset()) + ": " +
              llvm::toString(std::move(e)));
    };
    auto table = context_->getLineTableForUnit(unit.get(), report);
    if (!table) {
      report(table.takeError());
      continue;
    }
    if (!*table) continue;
    for (const DWARFDebugLine::Sequence& seq : (*table)->Sequences)
      read_sequence(**table, *unit, seq);
  }
  std::sort(ranges_.begin(), ranges_.end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  // Sequences of one function never overlap; if a broken table makes them, the later wins.
  for (size_t i = 0; i + 1 < ranges_.size(); i++)
    ranges_[i].end = std::min(ranges_[i].end, ranges_[i + 1].begin);
  std::erase_if(ranges_, [](const Range& r) { return r.begin >= r.end; });
  std::sort(sequences_read_.begin(), sequences_read_.end(),
            [](const Sequence& a, const Sequence& b) { return a.begin < b.begin; });
  for (const Range& r : ranges_)
    if (r.is_stmt && r.line) file_lines_[r.file][r.line].push_back(r.begin);
  if (mismatched_)
    problem(std::to_string(mismatched_) + " of " + std::to_string(mismatched_ + sequences_) +
            " line table sequences do not start inside a function body: the DWARF does not "
            "match the code (was the module changed after linking, e.g. by wasm-opt?)");
}

bool LlvmReader::inside_a_body(uint32_t offset) const {
  auto it = std::upper_bound(
      input_.bodies.begin(), input_.bodies.end(), offset,
      [](uint32_t o, const std::pair<uint32_t, uint32_t>& b) { return o < b.first; });
  return it != input_.bodies.begin() && offset < std::prev(it)->second;
}

void LlvmReader::read_sequence(const DWARFDebugLine::LineTable& table, llvm::DWARFUnit& unit,
                               const DWARFDebugLine::Sequence& seq) {
  if (seq.LowPC >= kTombstones || seq.FirstRowIndex >= seq.LastRowIndex ||
      seq.LastRowIndex > table.Rows.size())
    return;
  if (seq.HighPC > input_.code_size) {
    auto offset =
        llvm::dwarf::toSectionOffset(unit.getUnitDIE().find(llvm::dwarf::DW_AT_stmt_list));
    problem("the line program at .debug_line " + hex(offset.getValueOr(0)) +
            " points past the code: addresses up to " + hex(seq.HighPC) +
            ", but the code section has " + hex(input_.code_size) + " bytes");
    return;
  }
  if (!inside_a_body(input_.code_start + uint32_t(seq.LowPC))) {
    mismatched_++;
    return;
  }
  sequences_++;
  Sequence read{input_.code_start + uint32_t(seq.LowPC), input_.code_start + uint32_t(seq.HighPC),
                0};
  for (uint32_t i = seq.FirstRowIndex; i + 1 < seq.LastRowIndex; i++) {
    const DWARFDebugLine::Row& row = table.Rows[i];
    if (row.PrologueEnd && !read.prologue_end)
      read.prologue_end = input_.code_start + uint32_t(row.Address.Address);
    const DWARFDebugLine::Row& next = table.Rows[i + 1];
    if (next.Address.Address <= row.Address.Address) continue;  // the later row at an address
    ranges_.push_back({input_.code_start + uint32_t(row.Address.Address),
                       input_.code_start + uint32_t(next.Address.Address), row.Line,
                       file_id(table, unit, row.File), row.Column, bool(row.IsStmt)});
  }
  sequences_read_.push_back(read);
}

uint32_t LlvmReader::file_id(const DWARFDebugLine::LineTable& table, llvm::DWARFUnit& unit,
                             uint64_t index) {
  auto [it, fresh] = table_files_.try_emplace({&table, index}, 0);
  if (!fresh) return it->second;
  std::string name;
  if (!table.getFileNameByIndex(index, unit.getCompilationDir(),
                                llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath,
                                name))
    name = "<file " + std::to_string(index) + ">";
  llvm::SmallString<128> clean(name);
  llvm::sys::path::remove_dots(clean, true);  // "./build/./crt/x.c" -> "build/crt/x.c"
  auto [f, added] = file_ids_.try_emplace(std::string(clean.str()), uint32_t(files_.size()));
  if (added) {
    files_.push_back(f->first);
    file_lines_.emplace_back();
    call_sites_read_.push_back(false);
  }
  return it->second = f->second;
}

// --- questions ------------------------------------------------------------------------------

const LlvmReader::Range* LlvmReader::range_at(uint32_t code_offset) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), code_offset,
                             [](uint32_t o, const Range& r) { return o < r.begin; });
  if (it == ranges_.begin()) return nullptr;
  --it;
  return code_offset < it->end ? &*it : nullptr;
}

std::optional<LineRow> LlvmReader::row_at(uint32_t code_offset) {
  const Range* r = range_at(code_offset);
  if (!r) return std::nullopt;
  return LineRow{r->begin, r->file, r->line, r->is_stmt};
}

llvm::SmallVector<DWARFDie, 4> LlvmReader::scope_chain(uint32_t code_offset) {
  llvm::SmallVector<DWARFDie, 4> chain;
  // Only where a line table sequence that matches the code covers the offset: DIEs of DWARF
  // that does not match the code (a module rewritten after linking) would name any function.
  if (!range_at(code_offset)) return chain;
  uint64_t address = dwarf_address(code_offset);
  if (llvm::DWARFCompileUnit* unit = context_->getCompileUnitForAddress(address))
    unit->getInlinedChainForAddress(address, chain);
  return chain;
}

// The name a backtrace shows: the linkage name where it is mangled (C++, Rust: the runtime
// demangles it into a qualified name), else the source name ("main", whose linkage name is
// "__main_argc_argv").
static std::string function_name(const DWARFDie& die) {
  const char* linkage = die.getLinkageName();
  if (linkage && linkage[0] == '_' && (linkage[1] == 'Z' || linkage[1] == 'R')) return linkage;
  const char* name = die.getShortName();
  return name ? name : "";
}

std::vector<SourceLoc> LlvmReader::locations(uint32_t code_offset) {
  std::vector<SourceLoc> out;
  const Range* r = range_at(code_offset);
  if (!r) return out;
  auto chain = scope_chain(code_offset);
  out.push_back({files_[r->file], r->line, r->column, ""});
  if (chain.empty()) return out;
  out[0].function = function_name(chain[0]);
  const DWARFDebugLine::LineTable* table =
      chain[0].getDwarfUnit() ? context_->getLineTableForUnit(chain[0].getDwarfUnit()) : nullptr;
  for (size_t i = 0; i + 1 < chain.size(); i++) {
    uint32_t file = 0, line = 0, column = 0, discriminator = 0;
    chain[i].getCallerFrame(file, line, column, discriminator);
    SourceLoc call{"", line, column, function_name(chain[i + 1])};
    if (table && table->hasFileAtIndex(file))
      call.file = files_[file_id(*table, *chain[i].getDwarfUnit(), file)];
    out.push_back(std::move(call));
  }
  return out;
}

// Where an inlined call's code begins: its lowest address (as find_line's call sites).
static uint32_t inlined_entry(const DWARFDie& call, uint32_t code_start) {
  auto ranges = call.getAddressRanges();
  if (!ranges) {
    llvm::consumeError(ranges.takeError());
    return UINT32_MAX;
  }
  uint64_t low = kTombstones;
  for (const auto& r : *ranges) low = std::min(low, r.LowPC);
  return low >= kTombstones ? UINT32_MAX : code_start + uint32_t(low);
}

std::vector<LineRow> LlvmReader::line_chain(uint32_t code_offset) {
  std::vector<LineRow> out;
  auto row = row_at(code_offset);
  if (!row) return out;
  out.push_back(*row);
  auto chain = scope_chain(code_offset);
  for (size_t i = 0; i + 1 < chain.size(); i++) {
    uint32_t file = 0, line = 0, column = 0, discriminator = 0;
    chain[i].getCallerFrame(file, line, column, discriminator);
    LineRow call{inlined_entry(chain[i], input_.code_start), UINT32_MAX, line, true};
    llvm::DWARFUnit* unit = chain[i].getDwarfUnit();
    const DWARFDebugLine::LineTable* table = unit ? context_->getLineTableForUnit(unit) : nullptr;
    if (table && table->hasFileAtIndex(file)) call.file = file_id(*table, *unit, file);
    out.push_back(call);
  }
  return out;
}

uint32_t LlvmReader::after_prologue(uint32_t function_start) {
  auto it = std::upper_bound(sequences_read_.begin(), sequences_read_.end(), function_start,
                             [](uint32_t o, const Sequence& s) { return o < s.begin; });
  if (it == sequences_read_.begin()) return function_start;
  --it;
  if (function_start >= it->end || it->prologue_end <= function_start) return function_start;
  return it->prologue_end;
}

std::vector<std::string> LlvmReader::files() {
  std::vector<std::string> sorted = files_;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

Result<uint32_t> LlvmReader::match_file(std::string_view file) const {
  std::vector<uint32_t> found;
  for (uint32_t id = 0; id < files_.size(); id++) {
    std::string_view f = files_[id];
    if (f == file) return id;
    if (f.size() > file.size() && f.ends_with(file) && f[f.size() - file.size() - 1] == '/')
      found.push_back(id);
  }
  if (found.size() == 1) return found[0];
  if (found.empty())
    return Error{ErrorKind::Usage,
                 "no source file '" + std::string(file) + "' in the module's line tables"};
  std::string names;
  for (uint32_t id : found) names += (names.empty() ? "" : ", ") + files_[id];
  return Error{ErrorKind::Usage,
               "'" + std::string(file) + "' matches several source files: " + names};
}

// Adds the entries of inlined calls made from `file` to its lines: at -O2, `steer(dt);` whose
// body was inlined has rows only in steer's own file. Reads the DIEs of the units whose line
// table names the file.
void LlvmReader::read_call_sites(uint32_t file) {
  if (call_sites_read_[file]) return;
  call_sites_read_[file] = true;
  for (const auto& unit : context_->compile_units()) {
    auto table = context_->getLineTableForUnit(unit.get(), [](llvm::Error e) {
      llvm::consumeError(std::move(e));  // reported when the tables were read
    });
    if (!table || !*table) {
      if (!table) llvm::consumeError(table.takeError());
      continue;
    }
    const DWARFDebugLine::LineTable& t = **table;
    bool names_file = false;
    for (uint64_t i = 0; i <= t.Prologue.FileNames.size() && !names_file; i++)
      names_file = t.hasFileAtIndex(i) && file_id(t, *unit, i) == file;
    if (!names_file) continue;
    for (const auto& entry : unit->dies()) {
      if (entry.getTag() != llvm::dwarf::DW_TAG_inlined_subroutine) continue;
      DWARFDie call(unit.get(), &entry);
      uint32_t call_file = 0, call_line = 0, column = 0, discriminator = 0;
      call.getCallerFrame(call_file, call_line, column, discriminator);
      if (!call_line || !t.hasFileAtIndex(call_file) || file_id(t, *unit, call_file) != file)
        continue;
      auto ranges = call.getAddressRanges();
      if (!ranges) {
        llvm::consumeError(ranges.takeError());
        continue;
      }
      uint64_t low = kTombstones;
      for (const auto& r : *ranges) low = std::min(low, r.LowPC);
      if (low >= kTombstones || !range_at(input_.code_start + uint32_t(low))) continue;
      uint32_t entry_offset = input_.code_start + uint32_t(low);
      DWARFDie scope = call.getParent();
      while (scope && scope.getTag() != llvm::dwarf::DW_TAG_subprogram &&
             scope.getTag() != llvm::dwarf::DW_TAG_inlined_subroutine)
        scope = scope.getParent();
      file_lines_[file][call_line].push_back(entry_offset);
      call_site_scope_[entry_offset] = scope ? scope.getOffset() : 0;
    }
  }
}

Result<LineCode> LlvmReader::find_line(std::string_view file, uint32_t line) {
  auto id = match_file(file);
  if (!id) return id.error();
  read_call_sites(*id);
  const auto& lines = file_lines_[*id];
  auto it = lines.lower_bound(line);
  if (it == lines.end() || it->first > line + kLineSearch)
    return Error{ErrorKind::Usage, "no code at line " + std::to_string(line) + " of " +
                                       files_[*id] + " or in the " + std::to_string(kLineSearch) +
                                       " lines after it"};
  // The first instruction of the line in each function or inlined copy that has code for it:
  // a loop's line stops once on entry, not once per iteration at each of its pieces.
  std::map<uint64_t, uint32_t> first_per_scope;
  for (uint32_t start : it->second) {
    auto call_site = call_site_scope_.find(start);
    auto chain = scope_chain(start);
    uint64_t scope = call_site != call_site_scope_.end() ? call_site->second
                     : chain.empty()                     ? 0
                                                         : chain[0].getOffset();
    auto [at, fresh] = first_per_scope.try_emplace(scope, start);
    if (!fresh) at->second = std::min(at->second, start);
  }
  LineCode code{files_[*id], it->first, {}};
  for (const auto& [scope, start] : first_per_scope) code.offsets.push_back(start);
  std::sort(code.offsets.begin(), code.offsets.end());
  return code;
}

std::vector<uint32_t> LlvmReader::lines_with_code(std::string_view file) {
  std::vector<uint32_t> out;
  auto id = match_file(file);
  if (!id) return out;
  read_call_sites(*id);
  for (const auto& [line, starts] : file_lines_[*id]) out.push_back(line);
  return out;
}

}  // namespace glint::detail

// The plugin's entry point (debug/dwarf_reader.h). LLVM reports malformed DWARF through the
// handlers given to DWARFContext; anything thrown here (out of memory) becomes a problem too.
extern "C" __attribute__((visibility("default"))) glint::detail::DwarfReader* glint_open_dwarf(
    const glint::detail::DwarfInput& input) {
  try {
    return new glint::detail::LlvmReader(input);
  } catch (const std::exception&) {
    return nullptr;
  }
}
