;; For tests/unit/test_debug.cpp. Each `i32.const 3000x` marks a place a test sets a breakpoint
;; at: the test finds the constant's bytes in the binary. Constants have no code of their own,
;; so the breakpoint moves to the instruction after the marker.
(module
  (memory (export "memory") 1)
  (func $square (export "square") (param $x i32) (result i32)
    local.get $x
    local.get $x
    i32.const 30001  ;; marker 1: the multiply below
    drop
    i32.mul)
  (func $sum_squares (export "sum_squares") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $next
      i32.const 30002  ;; marker 2: the call below
      drop
      local.get $i
      call $square
      local.get $acc
      i32.add
      local.set $acc
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $next)
    local.get $acc)
  (func (export "divide") (param $a i32) (param $b i32) (result i32)
    i32.const 30003  ;; marker 3: the division, which traps for b = 0
    drop
    local.get $a
    local.get $b
    i32.div_u)
  (func (export "bump") (param $p i32) (result i32)
    local.get $p
    i32.const 8
    i32.add
    local.set $p     ;; the translator defers this addition: p's slot lags behind p
    i32.const 30004  ;; marker 4: the load below
    drop
    local.get $p
    i32.load)
  (func (export "walk") (param $n i32) (result i32)
    (local $p i32) (local $s i32)
    (loop $next
      i32.const 30005  ;; marker 5: the multiply below, the loop's first instruction with code
      drop
      (local.set $p (i32.mul (local.get $n) (i32.const 8)))  ;; p: written before it is read
      (local.set $p (i32.add (local.get $p) (i32.const 4)))  ;; deferred, and left out of the
      i32.const 30006  ;; marker 6: the load and add below  ;; branch back
      drop
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "count") (param $n i32) (result i32)   ;; i = 1, 2, ... n
    (local $i i32)
    (loop $next
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (local.get $i))
  (func (export "stacky") (param $a i32) (param $b f64) (result f64)
    local.get $a       ;; the stack at the stops: a lazy local,
    i32.const 7        ;; a constant,
    local.get $a
    i32.const 30007    ;; marker 7: the multiply below
    drop
    i32.const 5
    i32.mul            ;; computed values,
    i32.add
    i32.add
    f64.convert_i32_s
    local.get $b
    f64.const 0.5
    f64.add            ;; and floats
    f64.mul)
  (func (export "around_call") (param $a i32) (result i32)  ;; 3a + (a + square(4))
    (i32.add (i32.mul (local.get $a) (i32.const 3))
             (i32.add (local.get $a) (call $square (i32.const 4)))))
  (func (export "sum_words") (param $q i32) (param $n i32) (result i32)  ;; n words from q
    (local $j i32) (local $x i32) (local $s i32)
    (loop $next  ;; j is in the loop register here (iops.def, RegLoad)
      (local.set $x (i32.add (local.get $q) (local.get $j)))
      i32.const 30008  ;; marker 8: the load and add below
      drop
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $x))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 4)))
                           (i32.shl (local.get $n) (i32.const 2)))))
    (local.get $s))
  (func (export "scale_rows") (param $a f64) (param $col i32) (param $row i32) (param $n i32)
    (local $j i32) (local $p i32) (local $q i32)
    (loop $next  ;; both elements are one MulAdd_sum2 (iops.def), which writes p and q
      (f64.store (local.tee $p (i32.add (local.get $row) (local.get $j)))
        (f64.add (f64.mul (local.get $a)
                          (f64.load (local.tee $q (i32.add (local.get $col) (local.get $j)))))
                 (f64.load (local.get $p))))
      (f64.store (local.tee $p (i32.add (local.get $p) (i32.const 8)))
        (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $q)))
                 (f64.load (local.get $p))))
      i32.const 30009  ;; marker 9: the step and the branch back
      drop
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16)))
                           (local.get $n)))))
  (func (export "forever")
    (loop $again (br $again)))
  (func (export "accumulate") (param $a f32) (param $b f32) (result f32)  ;; p * p + 1, p = a * b
    (local $p f32)
    (local.tee $p (f32.mul (local.get $a) (local.get $b)))
    i32.const 30010  ;; marker 10: the multiply below, which reads p from the float accumulator
    drop
    local.get $p
    f32.mul
    f32.const 1
    f32.add)
  (func (export "facc_copy") (param $a f32) (param $b f32) (result f32)  ;; x = y = a * b; x * x - y
    (local $x f32) (local $y f32)
    (local.tee $x (f32.mul (local.get $a) (local.get $b)))
    i32.const 30016  ;; marker 16: the copy to y below, from the float accumulator (CopyF32_a)
    drop
    local.set $y
    (f32.sub (f32.mul (local.get $x) (local.get $x)) (local.get $y)))
  (func (export "iaccumulate") (param $a i32) (param $b i32) (result i32)  ;; p * p + 1, p = a * b
    (local $p i32)
    (local.tee $p (i32.mul (local.get $a) (local.get $b)))
    i32.const 30014  ;; marker 14: the multiply below, which reads p from the integer accumulator
    drop
    local.get $p
    i32.mul
    i32.const 1
    i32.add)
  (func (export "icopy") (param $a i32) (param $b i32) (result i32)  ;; x = y = a - b; (y >> 1) + x
    (local $x i32) (local $y i32)
    (local.tee $x (i32.sub (local.get $a) (local.get $b)))
    i32.const 30021  ;; marker 21: the copy to y below, from the integer accumulator (CopyI32_a)
    drop
    local.set $y
    (i32.add (i32.shr_s (local.get $y) (i32.const 1)) (local.get $x)))
  (func (export "call_copy") (param $x i32) (result i32) (local $r i32)  ;; r = square(x); r + x
    (call $square (local.get $x))
    i32.const 30023  ;; marker 23: the copy to r below, of the result square returned (CopyI32_a)
    drop
    local.set $r
    (i32.add (local.get $r) (local.get $x)))
  (func (export "iselect") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    local.get $x  ;; (a ^ 5) > b ? x : y
    local.get $y
    (i32.xor (local.get $a) (i32.const 5))
    i32.const 30020  ;; marker 20: the select below, which reads a ^ 5 from the integer accumulator
    drop
    local.get $b
    i32.gt_u
    select)
  (func (export "istore") (param $a i32) (param $b i32) (param $q i32) (result i32) (local $p i32)
    ;; *q = p, p = a * b: the store reads p from the integer accumulator (I32Store_v)
    (local.set $p (i32.mul (local.get $a) (local.get $b)))
    i32.const 30015  ;; marker 15: the store below
    drop
    (i32.store (local.get $q) (local.get $p))
    (i32.load (local.get $q)))
  (global $sp (export "sp") (mut i32) (i32.const 1024))
  (func (export "frame") (param $n i32) (result i32) (local $fp i32)
    i32.const 30012  ;; marker 12: the frame made below (one GlobalBump), then given back
    drop
    global.get $sp
    i32.const 16
    i32.sub
    local.tee $fp
    global.set $sp
    (i32.store (local.get $fp) (local.get $n))
    (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
    (i32.load (local.get $fp)))
  (func (export "pick") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    local.get $x
    local.get $y
    i32.const 30011  ;; marker 11: the compare and the select below, one fused instruction
    drop
    local.get $a
    local.get $b
    i32.lt_s
    select)
  (func (export "byte_is_x") (param $p i32) (param $i i32) (result i32)
    i32.const 30013  ;; marker 13: the byte load p[i] below, fused into the compare and branch
    drop
    (block
      (br_if 0 (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 120)))
      (return (i32.const 1)))
    (i32.const 0))
  ;; Slotless producers (execute/slotless_iops.def): a product that only the next instruction
  ;; reads, from the integer accumulator, is not written to its slot.
  (func (export "slotless") (param $a i32) (param $b i32) (result i32)  ;; a * b + 1
    i32.const 30018  ;; marker 18: the multiply below, slotless
    drop
    local.get $a
    local.get $b
    i32.mul
    i32.const 30017  ;; marker 17: the add below, which reads the product from the register
    drop
    i32.const 1
    i32.add)
  (func (export "sub_second") (param $x i32) (param $y i32) (result i32)  ;; x - (y ^ 5)
    local.get $x
    local.get $y
    i32.const 5
    i32.xor
    i32.const 30025  ;; marker 25: the sub below, which reads y ^ 5 from the register (I32Sub_sa)
    drop
    i32.sub)
  (func (export "slotless_load") (param $p i32) (result i32)  ;; the load of p << 4 traps
    (i32.load (i32.shl (local.get $p) (i32.const 4))))
  (func (export "slotless_spin") (param $a i32)  ;; loops until the fuel runs out at its br_if
    (loop $again (br_if $again (i32.or (local.get $a) (i32.const 1)))))
  ;; A bump the br flushes takes the jump back (I32AddBrLoop_si): sums [p] up to end.
  (func (export "bump_br") (param $p i32) (param $end i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        i32.const 30029  ;; marker 29: the loop's top
        drop
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))  ;; deferred to the br, its jump
        (br $next)))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $p)))
  (func (export "bump_pair") (param $p i32) (param $q i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $next
      i32.const 30019  ;; marker 19: the loads and add below
      drop
      (local.set $s (i32.add (local.get $s) (i32.add (i32.load (local.get $p))
                                                     (i32.load (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))   ;; deferred, then bumped with q
      (local.set $q (i32.add (local.get $q) (i32.const 12)))  ;; by one I32Inc2 at the br_if
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $s) (i32.mul (local.get $p) (local.get $q))))
  ;; m &= m - 1 and the branch on its eqz: one BrI64ClearLowZ (compile/translate_control.cpp).
  ;; Counts the set bits of m after its lowest.
  (func (export "clear_steps") (param $m i64) (result i32) (local $n i32)
    (block $done
      (loop $next
        i32.const 30022  ;; marker 22: the step and the branch below, one fused instruction
        drop
        (br_if $done (i64.eqz (local.tee $m (i64.and (i64.add (local.get $m) (i64.const -1))
                                                      (local.get $m)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))
  ;; --i read as a value: the deferred step is emitted into i where the and reads it
  ;; (FuncCompiler::emit_deferred_for), one addition where there were two.
  (func (export "predec") (param $a i32) (param $i i32) (result i32)
    (local.set $i (i32.add (local.get $i) (i32.const -1)))  ;; deferred
    i32.const 30024  ;; marker 24: the and below, which emits the step first
    drop
    (i32.add (i32.and (local.get $i) (i32.const 7)) (i32.mul (local.get $i) (local.get $a))))
  (func (export "facc_store") (param $p i32) (param $a f64) (param $b f64) (result f64)  ;; [p + 8] = x = a * b
    (local $x f64)
    (local.set $x (f64.mul (local.get $a) (local.get $b)))
    i32.const 30026  ;; marker 26: the store below, which stores x from the float accumulator
    drop
    (f64.store (i32.add (local.get $p) (i32.const 8)) (local.get $x))
    (f64.load offset=8 (local.get $p)))
  (func (export "facc_sub_second") (param $a f64) (param $b f64) (param $c f64) (result f64)  ;; c - (x = a * b)
    (local $x f64)
    (local.set $x (f64.mul (local.get $a) (local.get $b)))
    i32.const 30027  ;; marker 27: the sub below, whose second operand x is in the float accumulator
    drop
    (f64.sub (local.get $c) (local.get $x)))
  ;; call_indirect with its index just loaded: the load is slotless, the call reads the register.
  (type $i_i (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 1) $twice)
  (func $twice (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func (export "vcall") (param $vt i32) (param $x i32) (result i32)  ;; [vt] holds 1: twice(x)
    (local.get $x)
    (i32.load (local.get $vt))
    i32.const 30028  ;; marker 28: the call_indirect below, its index in the integer accumulator
    drop
    (call_indirect (type $i_i)))
)
