// The DWARF reader plugin (libglint_dwarf.so): debug/dwarf_reader.h's DwarfReader on LLVM's
// DebugInfo library. lines.cpp: the line tables, source locations with inlined frames, files.
// variables.cpp: variables, their locations, types and values, and writes.
#pragma once
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/DebugInfo/DWARF/DWARFDie.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "debug/dwarf/location.h"
#include "debug/dwarf/types.h"
#include "debug/dwarf_reader.h"

namespace glint::detail {

class LlvmReader final : public DwarfReader {
 public:
  explicit LlvmReader(const DwarfInput& input);

  DwarfInfo info() override;
  std::vector<SourceLoc> locations(uint32_t code_offset) override;
  std::optional<LineRow> row_at(uint32_t code_offset) override;
  std::vector<LineRow> line_chain(uint32_t code_offset) override;
  uint32_t after_prologue(uint32_t function_start) override;
  std::vector<std::string> files() override;
  Result<LineCode> find_line(std::string_view file, uint32_t line) override;
  std::vector<uint32_t> lines_with_code(std::string_view file) override;
  std::vector<Variable> frame_variables(const FrameState& frame, size_t inline_depth) override;
  std::vector<Variable> globals(const InstanceState& instance) override;
  std::vector<Variable> children(const Variable& v, const InstanceState& instance, size_t first,
                                 size_t max) override;
  Result<Variable> find_variable(const FrameState& frame, std::string_view path,
                                 size_t inline_depth) override;
  Result<WritePlan> plan_write(const Variable& v, std::string_view text) override;
  DataLayout data_layout() override;  // layout.cpp

  // Shared by lines.cpp and variables.cpp.
  uint64_t dwarf_address(uint32_t code_offset) const { return code_offset - input_.code_start; }
  // The subprogram and inlined subroutine DIEs around an offset, innermost first.
  llvm::SmallVector<llvm::DWARFDie, 4> scope_chain(uint32_t code_offset);
  void problem(std::string text);

  // variables.cpp and values.cpp.
  Variable make_variable(std::string name, const llvm::DWARFDie& type, const Evaluation& e,
                         const InstanceState& instance, uint32_t array_dim = 0);
  void describe(Variable& v, const InstanceState& instance);
  llvm::DWARFDie die_at(uint64_t offset);
  size_t count_children(const llvm::DWARFDie& type, const ValueView& view, uint32_t array_dim);
  std::optional<Variable> child_at(const Variable& v, const llvm::DWARFDie& type, size_t i,
                                   const InstanceState& instance);
  Variable memory_variable(std::string name, const llvm::DWARFDie& type, uint64_t address,
                           const InstanceState& instance);

 private:
  // One line table row and the code it covers, [begin, end) in module offsets.
  struct Range {
    uint32_t begin, end;
    uint32_t line;
    uint32_t file;
    uint16_t column;
    bool is_stmt;
  };
  void read_line_tables();
  void read_sequence(const llvm::DWARFDebugLine::LineTable& table, llvm::DWARFUnit& unit,
                     const llvm::DWARFDebugLine::Sequence& seq);
  uint32_t file_id(const llvm::DWARFDebugLine::LineTable& table, llvm::DWARFUnit& unit,
                   uint64_t index);
  const Range* range_at(uint32_t code_offset) const;
  void read_call_sites(uint32_t file);
  template <class F>
  void collect_scope(const llvm::DWARFDie& scope, uint64_t address, F&& add);
  std::optional<uint64_t> frame_base(const llvm::DWARFDie& function, const FrameState& frame);
  Variable variable_of(const llvm::DWARFDie& d, const EvalContext& ctx, uint32_t code_offset);
  Evaluation evaluate_at(const llvm::DWARFDie& d, const EvalContext& ctx, uint32_t code_offset);
  Piece const_piece(const llvm::DWARFFormValue& value, const llvm::DWARFDie& type);
  Result<Variable> follow_path(Variable v, PathReader& p, const InstanceState& instance);
  Result<Variable> child_named(const Variable& v, std::string_view name,
                               const InstanceState& instance);
  Result<Variable> element(const Variable& v, uint64_t index, const InstanceState& instance);
  Result<uint32_t> match_file(std::string_view file) const;
  bool inside_a_body(uint32_t offset) const;

  DwarfInput input_;
  std::unique_ptr<llvm::DWARFContext> context_;
  std::vector<std::string> problems_;
  size_t dropped_problems_ = 0;
  std::vector<Range> ranges_;  // sorted by begin, not overlapping
  struct Sequence {
    uint32_t begin, end, prologue_end;  // module offsets
  };
  std::vector<Sequence> sequences_read_;  // sorted by begin once read
  std::vector<std::string> files_;        // in the order first met: ids index it
  std::map<std::string, uint32_t> file_ids_;
  std::map<std::pair<const void*, uint64_t>, uint32_t> table_files_;   // (table, index) -> id
  std::vector<std::map<uint32_t, std::vector<uint32_t>>> file_lines_;  // per file: line -> starts
  // The entries of inlined calls, by the file and line of the call (read per file when first
  // asked: a line that is only a call of an inlined function has no rows of its own), and the
  // scope each belongs to (the function or inlined call it is in).
  std::vector<bool> call_sites_read_;
  std::map<uint32_t, uint64_t> call_site_scope_;
  size_t sequences_ = 0, mismatched_ = 0;
  double read_ms_ = 0;
};

}  // namespace glint::detail
