;; Functions stepped through one instruction at a time (test_debug_steps.cpp), each stop checked
;; against a reference run of the same wasm: lazy operands (locals, constants, local + constant)
;; that the translator materializes only where they are needed, deferred additions flushed
;; before branches, and fused instructions, among them the float accumulator's forms (a value
;; kept in a register between instructions). Only the instructions test_debug_steps.cpp's
;; reference interpreter knows.
(module
  (memory (export "memory") 1)
  ;; Lazy entries under instructions that write their local: the entries are materialized
  ;; first, by code put before the instruction that writes it.
  (func (export "lazy_mix") (param $a i32) (param $b i32) (result i32) (local $t i32)
    local.get $a
    i32.const 5
    local.get $b
    i32.const 8
    i32.add          ;; b + 8: lazy
    i32.mul
    i32.add
    local.get $a     ;; lazy a, then a is written below it
    local.get $b
    local.get $b
    i32.mul
    local.set $a     ;; the multiply writes a: the lazy a is copied before it
    i32.sub
    local.get $a
    i32.const 3
    i32.add
    local.tee $t
    local.get $t     ;; a lazy t under the write of t
    i32.const 7
    i32.and
    local.set $t
    i32.add
    local.get $t
    i32.add)
  ;; A pointer bump deferred across a load, flushed before a compare-and-branch; a counter
  ;; step fused into the branch back.
  (func (export "bump_loop") (param $p i32) (param $n i32) (result i32) (local $s i32)
    block $out
      loop $next
        local.get $s
        local.get $p
        i32.load
        i32.add
        local.set $s
        local.get $p
        i32.const 4
        i32.add
        local.set $p     ;; deferred
        local.get $s
        i32.const 100
        i32.gt_s
        br_if $out       ;; the bump is emitted before this branch
        local.get $n
        i32.const -1
        i32.add
        local.tee $n
        br_if $next
      end
    end
    local.get $s
    local.get $p
    i32.add)
  ;; xorshift steps, each a shift and an xor fused (I32XorShl; I32XorShrU_a, I32XorShl_a reading
  ;; the step before from the accumulator): one stop per step.
  (func (export "xorshift") (param $x i32) (param $n i32) (result i32)
    loop $l
      local.get $x
      i32.const 13
      i32.shl
      local.get $x
      i32.xor
      local.tee $x
      i32.const 17
      i32.shr_u
      local.get $x
      i32.xor
      local.tee $x
      i32.const 5
      i32.shl
      local.get $x
      i32.xor
      local.set $x
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $l
    end
    local.get $x)
  ;; --i read as a value: the deferred step is emitted where the and reads it.
  (func (export "predec") (param $a i32) (param $i i32) (result i32)
    local.get $i
    i32.const -1
    i32.add
    local.set $i     ;; deferred
    local.get $i
    i32.const 7
    i32.and
    local.get $i
    local.get $a
    i32.mul
    i32.add)
  ;; Counted loop whose compare reads the stepped counter (BrInc), a lazy constant carried
  ;; into the loop, and an if on a lazy local + constant.
  (func (export "count_if") (param $n i32) (result i32) (local $i i32) (local $s i32)
    i32.const 11
    loop $next
      local.get $s
      local.get $i
      i32.const 3
      i32.and
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_s
      br_if $next
    end
    local.get $s
    i32.const 2
    i32.add
    local.get $n
    i32.gt_s
    if
      local.get $s
      i32.const 1
      i32.shl
      local.set $s
    else
      local.get $s
      i32.const -1
      i32.add
      local.set $s
    end
    local.get $s
    i32.add)
  ;; A store of a lazy local + constant at a lazy address, loads at a deferred bump, and a
  ;; select whose values are lazy.
  (func (export "store_select") (param $p i32) (param $x i32) (result i32)
    local.get $p
    local.get $x
    i32.const 9
    i32.add
    i32.store offset=4
    local.get $p
    i32.const 4
    i32.add
    local.set $p     ;; deferred
    local.get $p
    i32.load
    local.get $x
    local.get $p
    i32.load
    i32.const 10
    i32.lt_u
    select
    local.get $p
    i32.const 1
    i32.shr_u
    i32.xor)
;; A particle update over n records of two f64 (x, v) at p: float loads as producers, a
  ;; multiply-add, the value just computed stored and kept in a local, a compare + eqz + br_if
  ;; fused into one branch, `0 - x` and `1 / v` with the register as second operand, `x * x`,
  ;; a sqrt, and a select on a float compare.
  (func (export "float_loop") (param $p i32) (param $n i32) (param $dt f64) (result i32)
    (local $x f64) (local $s f64) (local $d f64)
    loop $next
      local.get $p
      local.get $p
      f64.load offset=8
      local.get $dt
      f64.mul
      local.get $p
      f64.load
      f64.add
      local.tee $x
      f64.store
      block $keep
        local.get $x
        f64.const 0
        f64.lt
        i32.eqz
        br_if $keep
        local.get $p
        f64.const 0
        local.get $x
        f64.sub
        f64.store
      end
      local.get $s
      f64.const 1
      local.get $x
      local.get $x
      f64.mul
      f64.const 1
      f64.add
      f64.sqrt
      f64.div
      f64.add
      local.set $s
      local.get $x
      local.get $s
      local.get $x
      local.get $s
      f64.gt
      select
      local.set $d
      local.get $p
      i32.const 16
      i32.add
      local.set $p
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if $next
    end
    local.get $s
    local.get $d
    f64.add
    f64.const 1000
    f64.mul
    i32.trunc_f64_s)
)
