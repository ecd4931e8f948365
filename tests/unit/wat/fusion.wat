;; Exercised by test_fusion.cpp: code the translator fuses into one internal instruction
;; (address computations into loads and stores, shift+add, compare+branch), at the edges
;; where a wrong fusion would show: 32-bit wrap-around, traps, operands changed in between.
(module $fusion
  (memory (export "memory") 1)
  ;; base + const, then load: the add wraps in 32 bits before the offset is added.
  (func (export "load_add") (param $base i32) (result i32)
    (i32.load offset=4 (i32.add (local.get $base) (i32.const -8))))
  ;; base + (index << 2), then load.
  (func (export "load_idx") (param $base i32) (param $i i32) (result i32)
    (i32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
  ;; (index << 3) + base, then 64-bit load.
  (func (export "load_idx64") (param $base i32) (param $i i32) (result i64)
    (i64.load offset=8 (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $base))))
  ;; base + index, store a local, read it back.
  (func (export "store_idx") (param $base i32) (param $i i32) (param $v i32) (result i32)
    (i32.store8 (i32.add (local.get $base) (local.get $i)) (local.get $v))
    (i32.load8_u (i32.add (local.get $base) (local.get $i))))
  ;; base + const store of a computed value (not fused: the value comes after the address).
  (func (export "store_add") (param $base i32) (param $v i32) (result i32)
    (i32.store offset=2 (i32.add (local.get $base) (i32.const 6))
                        (i32.mul (local.get $v) (i32.const 3)))
    (i32.load offset=8 (local.get $base)))
  ;; The shifted index stored to a local in between: the shift result must be kept.
  (func (export "shl_tee") (param $i i32) (result i32)
    (local $t i32)
    (i32.add (local.tee $t (i32.shl (local.get $i) (i32.const 4))) (local.get $t)))
  ;; i64 compare + branch, both directions, in a loop.
  (func (export "count_below") (param $n i64) (result i64)
    (local $i i64)
    (block $out
      (loop $next
        (br_if $out (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $i))
  (func (export "sign") (param $x i64) (result i32)
    (if (result i32) (i64.lt_s (local.get $x) (i64.const 0))
      (then (i32.const -1))
      (else (if (result i32) (i64.gt_s (local.get $x) (i64.const 0))
        (then (i32.const 1)) (else (i32.const 0))))))
  ;; Lazy `local + constant` operands (LocalPlus): still correct when the local changes while
  ;; the sum waits on the stack, when it is a block result, a call argument or an address.
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "plus_then_write") (param $x i32) (result i32)
    (i32.add (i32.add (local.get $x) (i32.const 5))           ;; x + 5, waiting...
             (block (result i32)
               (local.set $x (i32.const 100))                 ;; ...while x changes
               (local.get $x))))
  (func (export "plus_tee_self") (param $x i32) (result i32)
    (i32.add (i32.sub (local.get $x) (i32.const 1))           ;; x - 1, waiting
             (local.tee $x (i32.add (local.get $x) (i32.const 10)))))
  (func (export "plus_chain_wraps") (param $x i32) (result i32)
    (i32.add (i32.add (i32.add (local.get $x) (i32.const 0x7fffffff)) (i32.const 2))
             (i32.const -1)))
  (func (export "plus_block_result") (param $x i32) (param $c i32) (result i32)
    (block $b (result i32)
      (br_if $b (i32.add (local.get $x) (i32.const 7)) (local.get $c))
      (drop)
      (i32.const -1)))
  (func (export "plus_call_arg") (param $x i32) (result i32)
    (call $id (i32.add (local.get $x) (i32.const 3))))
  (func (export "plus_store_load") (param $p i32) (param $v i32) (result i32)
    ;; the address waits while the stored value is computed from the same local
    (i32.store offset=4 (i32.add (local.get $p) (i32.const 8))
                        (i32.mul (local.tee $p (i32.add (local.get $p) (i32.const 1)))
                                 (local.get $v)))
    (i32.load offset=11 (local.get $p)))
  (func (export "plus_load_wraps") (param $p i32) (result i32)
    (i32.load (i32.add (local.get $p) (i32.const -4))))
  (func (export "plus_loop") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $next
      (local.set $sum (i32.add (local.get $sum) (i32.add (local.get $i) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))
  ;; Storing zero to a local that still holds its initial zero emits no code; any other zero
  ;; store must still happen.
  (func (export "zero_stores") (param $n i32) (result i32)
    (local $acc i32) (local $i i32) (local $f f64)
    (local.set $acc (i32.const 0))              ;; no code: still zero
    (local.set $f (f64.const -0.0))             ;; -0.0 is not all-zero bits: must be stored
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $i (i32.const 0))                ;; after a loop: a real store
    (i32.add (i32.add (local.get $acc) (local.get $i))
             (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $f)) (i64.const 63)))))
  ;; Constant-first forms of non-commutative operators, and selects of constants.
  (func (export "rsub32") (param i32) (result i32) (i32.sub (i32.const 10) (local.get 0)))
  (func (export "rsub64") (param i64) (result i64) (i64.sub (i64.const 10) (local.get 0)))
  (func (export "rshl") (param i32) (result i32) (i32.shl (i32.const 3) (local.get 0)))
  (func (export "rsubf32") (param f32) (result f32) (f32.sub (f32.const 1.5) (local.get 0)))
  (func (export "rsubf64") (param f64) (result f64) (f64.sub (f64.const 1.5) (local.get 0)))
  (func (export "rdivf32") (param f32) (result f32) (f32.div (f32.const 1) (local.get 0)))
  (func (export "rdivf64") (param f64) (result f64) (f64.div (f64.const 1) (local.get 0)))
  (func (export "select_ii") (param i32) (result i32)
    (select (i32.const 7) (i32.const 9) (local.get 0)))
  (func (export "select_is") (param i32 i32) (result i32)
    (select (i32.const 7) (local.get 0) (local.get 1)))
  (func (export "select_si") (param i64 i32) (result i64)
    (select (local.get 0) (i64.const -1) (local.get 1)))
  (func (export "select_f64") (param i32) (result f64)
    (select (f64.const 2.5) (f64.const -0.0) (local.get 0)))
  ;; Constant addresses (C globals): loads and stores address them from a slot that is always
  ;; zero, which nothing may disturb: not calls, not results, not deep operand stacks.
  (func $three (result i32 i32 i32) (i32.const 7) (i32.const 8) (i32.const 9))
  (func (export "const_addr") (param $v i32) (result i32)
    (i32.store offset=4 (i32.const 3000) (local.get $v))
    (drop (call $three)) (drop) (drop)
    (i32.store8 (i32.const 3010) (i32.load offset=4 (i32.const 3000)))
    (i32.add (i32.load offset=2 (i32.const 3002)) (i32.load8_u (i32.const 3010))))
  (func (export "const_addr_oob") (result i32)
    (i32.load offset=2 (i32.const 65534)))
  ;; A constant result is returned as an immediate (both returns here), any type.
  (func (export "return_consts") (param $x i32) (result i64)
    (if (local.get $x) (then (return (i64.const -5))))
    (i64.const 0x123456789))
  (func (export "return_f64") (result f64) (f64.const -0.25))
  ;; Stores of constants (`p->n = 0`): the value is an immediate of the store. Each width keeps
  ;; its low bytes; $p = 65532 makes the i64 store (offset 4) trap and write nothing.
  (func (export "store_consts") (param $p i32) (result i64)
    (i64.store offset=4 (local.get $p) (i64.const 0x1122334455667788))
    (i32.store8 offset=4 (local.get $p) (i32.const 0x1ab))
    (i32.store16 offset=6 (local.get $p) (i32.const -2))
    (f32.store (i32.add (local.get $p) (i32.const 12)) (f32.const -1.5))
    (i64.store32 (local.get $p) (i64.const -1))
    (i64.add (i64.load offset=4 (local.get $p))
             (i64.add (i64.load32_u (local.get $p)) (i64.load32_u offset=12 (local.get $p)))))
  ;; Float compare + branch, taken when true (br_if) and when false (if), NaN included: with a
  ;; NaN operand every compare but ne is false, so `if (a < b)` must not run its then-arm and
  ;; must run its else-arm.
  (func (export "if_f32_lt") (param f32 f32) (result i32)
    (if (result i32) (f32.lt (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "if_f64_ge_imm") (param f64) (result i32)
    (if (result i32) (f64.ge (local.get 0) (f64.const 2.5)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "if_f32_ne") (param f32 f32) (result i32)
    (if (result i32) (f32.ne (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "if_f64_eq") (param f64 f64) (result i32)
    (if (result i32) (f64.eq (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "br_if_f32_gt") (param f32) (result i32)
    (block $yes (br_if $yes (f32.gt (local.get 0) (f32.const 0))) (return (i32.const 0)))
    (i32.const 1))
  (func (export "halvings") (param $x f64) (result i32)   ;; loop while x > 1
    (local $n i32)
    (loop $next
      (local.set $x (f64.mul (local.get $x) (f64.const 0.5)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $next (f64.gt (local.get $x) (f64.const 1))))
    (local.get $n))
;; Operators with a memory operand, and read-modify-write (MEMOP in iops.def).
  (func (export "add_mem32") (param $x i32) (param $p i32) (result i32)   ;; x + [p+4]
    (i32.add (local.get $x) (i32.load offset=4 (local.get $p))))
  (func (export "mem_mul32") (param $p i32) (param $x i32) (result i32)   ;; [p] * x, load first
    (i32.mul (i32.load (local.get $p)) (local.get $x)))
  (func (export "sub_mem64") (param $x i64) (param $p i32) (result i64)   ;; x - [p]
    (i64.sub (local.get $x) (i64.load (local.get $p))))
  (func (export "mem_sub_f64") (param $p i32) (param $x f64) (result f64) ;; [p] - x: not swapped
    (f64.sub (f64.load (local.get $p)) (local.get $x)))
  (func (export "mem_sub32") (param $p i32) (param $x i32) (result i32)   ;; [p] - x
    (i32.sub (i32.load (local.get $p)) (local.get $x)))
  (func (export "mul_mem_f32") (param $x f32) (param $p i32) (result f32) ;; x * [p+8 wrapped]
    (f32.mul (local.get $x) (f32.load (i32.add (local.get $p) (i32.const 8)))))
  (func (export "axpy") (param $a f64) (param $x i32) (param $y i32) (param $n i32)
    (local $i i32)   ;; y[i] += a * x[i], the shape clang emits for it
    (loop $next
      (f64.store (local.get $y)
        (f64.add (f64.mul (local.get $a) (f64.load (local.get $x))) (f64.load (local.get $y))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (br_if $next (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  (func (export "bump") (param $p i32) (param $v i32)   ;; [p+12] += v
    (i32.store offset=12 (local.get $p) (i32.add (local.get $v) (i32.load offset=12 (local.get $p)))))
  (func (export "bump_const") (param $v i64)            ;; [64] ^= v, a constant address
    (i64.store (i32.const 64) (i64.xor (local.get $v) (i64.load (i32.const 64)))))
  (func (export "move_sum") (param $p i32) (param $q i32) (param $v i32)   ;; [p] = v + [q]
    (i32.store (local.get $p) (i32.add (local.get $v) (i32.load (local.get $q)))))
  (func (export "other_offset") (param $p i32) (param $v i32)  ;; [p+4] = v + [p]
    (i32.store offset=4 (local.get $p) (i32.add (local.get $v) (i32.load (local.get $p)))))
  ;; Byte and half loads as an operand (MEMNARROW in iops.def).
  (func (export "add_s8") (param $x i32) (param $p i32) (result i32)
    (i32.add (local.get $x) (i32.load8_s (local.get $p))))
  (func (export "xor_u8") (param $x i32) (param $p i32) (result i32)
    (i32.xor (local.get $x) (i32.load8_u offset=1 (local.get $p))))
  (func (export "mul_s16") (param $x i32) (param $p i32) (result i32)
    (i32.mul (i32.load16_s (i32.add (local.get $p) (i32.const 2))) (local.get $x)))
  (func (export "sub_u16") (param $x i32) (param $p i32) (result i32)   ;; x - [p]
    (i32.sub (local.get $x) (i32.load16_u (local.get $p))))
  (func (export "u8_sub") (param $x i32) (param $p i32) (result i32)    ;; [p] - x
    (i32.sub (i32.load8_u (local.get $p)) (local.get $x)))
  ;; Operators without a memory-operand form take a byte or half load as a plain operand.
  (func (export "div_s16") (param $x i32) (param $p i32) (result i32)   ;; x / [p]
    (i32.div_s (local.get $x) (i32.load16_s (local.get $p))))
  (func (export "shl_u8") (param $x i32) (param $p i32) (result i32)    ;; x << [p]
    (i32.shl (local.get $x) (i32.load8_u (local.get $p))))
;; Loop counters fused with the branch back (INCBR in iops.def).
  (func (export "count_up") (param $from i32) (param $to i32) (result i32)
    (local $n i32)   ;; iterations of: do { from += 1 } while (from != to), at most 1000
    (loop $next
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.ge_u (local.get $n) (i32.const 1000)) (then (return (local.get $n))))
      (local.set $from (i32.add (local.get $from) (i32.const 1)))
      (br_if $next (i32.ne (local.get $from) (local.get $to))))
    (local.get $n))
  (func (export "count_lt_s") (param $i i32) (result i32)   ;; do { i += 3 } while (i < 100) signed
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $next (i32.lt_s (local.get $i) (i32.const 100))))
    (local.get $i))
  (func (export "count_lt_u") (param $i i32) (result i32)   ;; the same, unsigned
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 100))))
    (local.get $i))
  (func (export "spin") (param $i i32)   ;; i += 1 until it wraps to 0: 2^32 steps, for fuel
    (loop $next
      (br_if $next (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 0)))))
  ;; Float multiply-add (F64MulAdd, F32MulAdd): both operand orders, an addend that is a stack
  ;; value, and an accumulator written by the fused instruction itself.
  (func (export "madd") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.add (f64.mul (local.get $x) (local.get $y)) (local.get $z)))
  (func (export "addm") (param $x f64) (param $y f64) (param $z f64) (result f64)
    (f64.add (local.get $z) (f64.mul (local.get $x) (local.get $y))))
  (func (export "madd_f32") (param $x f32) (param $y f32) (param $z f32) (result f32)
    (f32.add (f32.mul (local.get $x) (local.get $y)) (local.get $z)))
  (func (export "sum_squares") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.add (f64.add (f64.mul (local.get $a) (local.get $a)) (f64.mul (local.get $b) (local.get $b)))
             (f64.mul (local.get $c) (local.get $c))))
  (func (export "dot_n") (param $x f64) (param $n i32) (result f64)   ;; acc += x * x, n times
    (local $acc f64)
    (loop $next
      (local.set $acc (f64.add (local.get $acc) (f64.mul (local.get $x) (local.get $x))))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  ;; Deferred increments (FuncCompiler::set_local): `p = p + c` waits while later code reads p
  ;; as its slot plus c. Values read before the increment must keep the old p.
  (func (export "defer_rebase") (param $p i32) (result i32)   ;; old p + (new p != 0)
    (local.get $p)                                           ;; old value, from the slot
    (local.tee $p (i32.add (local.get $p) (i32.const 8)))    ;; deferred
    (i32.ne (i32.const 0))                                   ;; a compare: the addition is emitted
    (i32.add))
  ;; --i read as a value (`a[--i & mask]`, brotli's walk over a hash bucket): the deferred step
  ;; is emitted into i where the and reads it, and no second addition follows.
  (func (export "predec_load") (param $b i32) (param $i i32) (param $mask i32) (param $stop i32)
    (result i32) (local $s i32) (local $v i32)
    (block $out
      (loop $next
        (local.set $v (i32.load (i32.add (local.get $b)
          (i32.shl (i32.and (local.tee $i (i32.add (local.get $i) (i32.const -1)))
                            (local.get $mask))
                   (i32.const 2)))))
        (br_if $out (i32.eq (local.get $v) (local.get $stop)))
        (local.set $s (i32.add (local.get $s) (local.get $v)))
        (br $next)))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $i)))
  ;; The old i is still on the stack: the step stays deferred, i - 1 goes to a temporary.
  (func (export "predec_shared") (param $i i32) (param $mask i32) (result i32)
    (local.get $i)                                           ;; old i
    (i32.and (local.tee $i (i32.add (local.get $i) (i32.const -1))) (local.get $mask))
    (i32.mul (i32.const 100))
    (i32.add)
    (i32.add (i32.mul (local.get $i) (i32.const 10000))))
  (func (export "defer_overwrite") (param $p i32) (result i32)   ;; (p + 8) + 100
    (local.set $p (i32.add (local.get $p) (i32.const 8)))
    (local.get $p)                                           ;; p + 8, lazily
    (local.set $p (i32.const 100))                           ;; overwritten while deferred
    (i32.add (local.get $p)))
  (func (export "defer_wrap") (param $p i32) (result i32)   ;; load [u32(p + 8)]
    (local.set $p (i32.add (local.get $p) (i32.const 8)))
    (i32.load offset=4 (local.get $p)))
  ;; Sums pairs a[0] + a[1], a[1] + a[2], ... over n elements: the pointer bump sits between
  ;; two loads of the same pointer, as in clang's unrolled loops.
  (func (export "defer_pairs") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $s) (local.get $p)))
  ;; A pointer written first in each iteration and bumped later: the bump is left out of the
  ;; branch back (the next iteration overwrites q first) but must happen when the loop exits.
  (func (export "defer_loop_exit") (param $n i32) (result i32)   ;; q * 1000 + s
    (local $q i32) (local $s i32)
    (loop $next
      (local.set $q (i32.mul (local.get $n) (i32.const 4)))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (local.set $s (i32.add (local.get $s) (local.get $q)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (i32.mul (local.get $q) (i32.const 1000)) (local.get $s)))
  ;; The same with the bumped local read at the loop's top: the bump must go along.
  (func (export "defer_loop_read") (param $n i32) (result i32)
    (local $q i32) (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (local.get $q)))
      (local.set $q (i32.add (local.get $q) (i32.const 4)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (i32.mul (local.get $q) (i32.const 1000)) (local.get $s)))
;; [p] += a * [q], [p+w] += a * [q+w] per iteration for n pairs: matmul's unrolled inner
  ;; loop, the multiply-add into memory (F32/F64MulAdd_rmw) and, second, its twin.
  (func (export "axpy2") (param $a f64) (param $q i32) (param $p i32) (param $n i32)
    (loop $next
      (f64.store (local.get $p)
        (f64.add (f64.mul (local.get $a) (f64.load (local.get $q))) (f64.load (local.get $p))))
      (f64.store offset=8 (local.get $p)
        (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $q))) (f64.load offset=8 (local.get $p))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "axpy2_f32") (param $a f32) (param $q i32) (param $p i32) (param $n i32)
    (loop $next
      (f32.store (local.get $p)
        (f32.add (f32.mul (local.get $a) (f32.load (local.get $q))) (f32.load (local.get $p))))
      (f32.store offset=4 (local.get $p)
        (f32.add (f32.mul (local.get $a) (f32.load offset=4 (local.get $q))) (f32.load offset=4 (local.get $p))))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; [p+40] += a * [q+24] (offsets that make each load's bytes unique, for the trap test), and
  ;; the same where the product is also kept in a local: not fused, the local must be written.
  (func (export "axpy_at") (param $a f64) (param $q i32) (param $p i32)
    (f64.store offset=40 (local.get $p)
      (f64.add (f64.mul (local.get $a) (f64.load offset=24 (local.get $q)))
               (f64.load offset=40 (local.get $p)))))
  (func (export "axpy_keep") (param $a f64) (param $q i32) (param $p i32) (result f64)
    (local $t f64)
    (f64.store (local.get $p)
      (f64.add (local.tee $t (f64.mul (local.get $a) (f64.load (local.get $q))))
               (f64.load (local.get $p))))
    (local.get $t))
;; The loop register: j counts bytes, the two addresses are sums with j kept in locals (as
  ;; clang's code for matmul has them), so the loop's additions of j read the register.
  (func (export "axpy_reg") (param $a f64) (param $q i32) (param $p i32) (param $n i32)
    (local $j i32) (local $x i32) (local $y i32)
    (loop $next
      (local.set $x (i32.add (local.get $p) (local.get $j)))
      (local.set $y (i32.add (local.get $j) (local.get $q)))  ;; j first
      (f64.store (local.get $x)
        (f64.add (f64.mul (local.get $a) (f64.load (local.get $y))) (f64.load (local.get $x))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $n)))))
  ;; The same with a call in the loop (the callee's loops would change the register): not taken.
  (func $double (param f64) (result f64) (f64.add (local.get 0) (local.get 0)))
  (func (export "axpy_reg_call") (param $a f64) (param $q i32) (param $p i32) (param $n i32)
    (local $j i32) (local $x i32)
    (loop $next
      (local.set $x (i32.add (local.get $p) (local.get $j)))
      (f64.store (local.get $x)
        (f64.add (call $double (f64.load (i32.add (local.get $q) (local.get $j))))
                 (f64.load (local.get $x))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $n)))))
  ;; j also written elsewhere in the loop (skipping odd elements of q): not taken.
  (func (export "sum_skip") (param $q i32) (param $n i32) (result i32)
    (local $j i32) (local $x i32) (local $sum i32)
    (loop $next
      (local.set $x (i32.add (local.get $q) (local.get $j)))
      (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $x))))
      (if (i32.and (i32.load (local.get $x)) (i32.const 1))
        (then (local.set $j (i32.add (local.get $j) (i32.const 4)))))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $n))))
    (local.get $sum))
  ;; Nested loops: the inner one takes the register (for c), the outer one (r) cannot.
  (func (export "sum_rows") (param $q i32) (param $rows i32) (param $row_bytes i32) (result i32)
    (local $r i32) (local $c i32) (local $x i32) (local $row i32) (local $sum i32)
    (loop $rows
      (local.set $c (i32.const 0))
      (loop $cols
        (local.set $x (i32.add (local.get $row) (local.get $c)))
        (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $x))))
        (br_if $cols (i32.ne (local.tee $c (i32.add (local.get $c) (i32.const 4))) (local.get $row_bytes))))
      (local.set $row (i32.add (local.get $row) (local.get $row_bytes)))
      (br_if $rows (i32.ne (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
    (local.get $sum))
  ;; After the branch that takes the register, a call and a write of j, then a branch back:
  ;; that branch must load the register again. Sums j over 0..n-1, then 2n (j = 2n after the
  ;; first exit; the next step leaves j = 2n + 1 >= n, and 2(2n + 1) >= 3n ends it).
  (func $twice (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func (export "reload") (param $n i32) (result i32) (local $j i32) (local $sum i32)
    (loop $next
      (local.set $sum (i32.add (local.get $sum) (local.get $j)))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n)))
      (local.set $j (call $twice (local.get $j)))
      (br_if $next (i32.lt_u (local.get $j) (i32.mul (local.get $n) (i32.const 3)))))
    (local.get $sum))
;; Sums into a multiply-add's addresses (F64MulAdd_sum): p = row + j and q = col + j right
  ;; before `[p] += a * [q]`, twice per iteration as clang unrolls matmul's inner loop. Returns
  ;; the locals the sums went to, p << 16 | q (p = row + last j + 8, q = col + last j).
  (func (export "muladd_rows") (param $a f64) (param $col i32) (param $row i32) (param $n i32)
    (result i32) (local $j i32) (local $p i32) (local $q i32)
    (loop $next
      (f64.store (local.tee $p (i32.add (local.get $row) (local.get $j)))
        (f64.add (f64.mul (local.get $a)
                          (f64.load (local.tee $q (i32.add (local.get $col) (local.get $j)))))
                 (f64.load (local.get $p))))
      (f64.store (local.tee $p (i32.add (local.get $p) (i32.const 8)))
        (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $q)))
                 (f64.load (local.get $p))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $n))))
    (i32.or (i32.shl (local.get $p) (i32.const 16)) (local.get $q)))
  ;; The same with a call in the loop: no loop register, the sums are read from j's slot.
  (func $nothing)
  (func (export "muladd_rows_call") (param $a f64) (param $col i32) (param $row i32)
    (param $n i32) (result i32) (local $j i32) (local $p i32) (local $q i32)
    (loop $next
      (call $nothing)
      (f64.store (local.tee $p (i32.add (local.get $row) (local.get $j)))
        (f64.add (f64.mul (local.get $a)
                          (f64.load (local.tee $q (i32.add (local.get $col) (local.get $j)))))
                 (f64.load (local.get $p))))
      (f64.store (local.tee $p (i32.add (local.get $p) (i32.const 8)))
        (f64.add (f64.mul (local.get $a) (f64.load offset=8 (local.get $q)))
                 (f64.load (local.get $p))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $n))))
    (i32.or (i32.shl (local.get $p) (i32.const 16)) (local.get $q)))
  ;; f32, one element per iteration, and a second sum that reads the first's local (q = p + j):
  ;; that one may not be computed in the same instruction, so it stays an addition.
  (func (export "muladd_f32") (param $a f32) (param $col i32) (param $row i32) (param $n i32)
    (local $j i32) (local $p i32) (local $q i32)
    (loop $next
      (f32.store (local.tee $p (i32.add (local.get $row) (local.get $j)))
        (f32.add (f32.mul (local.get $a)
                          (f32.load (local.tee $q (i32.add (local.get $col) (local.get $j)))))
                 (f32.load (local.get $p))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $n)))))
  (func (export "muladd_chained") (param $a f64) (param $row i32) (param $n i32)
    (local $j i32) (local $p i32) (local $q i32)
    (loop $next
      (f64.store (local.tee $p (i32.add (local.get $row) (local.get $j)))
        (f64.add (f64.mul (local.get $a)
                          (f64.load (local.tee $q (i32.add (local.get $p) (local.get $j)))))
                 (f64.load (local.get $p))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $n)))))
;; Two scales: the second element's multiply-add cannot share the first's x, so the two stay
  ;; two instructions.
  (func (export "muladd_two_scales") (param $a f64) (param $b f64) (param $col i32) (param $row i32)
    (param $n i32) (local $j i32) (local $p i32) (local $q i32)
    (loop $next
      (f64.store (local.tee $p (i32.add (local.get $row) (local.get $j)))
        (f64.add (f64.mul (local.get $a)
                          (f64.load (local.tee $q (i32.add (local.get $col) (local.get $j)))))
                 (f64.load (local.get $p))))
      (f64.store (local.tee $p (i32.add (local.get $p) (i32.const 8)))
        (f64.add (f64.mul (local.get $b) (f64.load offset=8 (local.get $q)))
                 (f64.load (local.get $p))))
      (br_if $next (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $n)))))
;; A shift left and back by the same constant: C's (short)x and (signed char)x without the
  ;; sign-extension operators, and a mask.
  (func (export "as_short") (param $x i32) (result i32)
    (i32.shr_s (i32.shl (local.get $x) (i32.const 16)) (i32.const 16)))
  (func (export "as_char") (param $x i32) (result i32)
    (i32.shr_s (i32.shl (local.get $x) (i32.const 24)) (i32.const 24)))
  (func (export "low_12") (param $x i32) (result i32)
    (i32.shr_u (i32.shl (local.get $x) (i32.const 20)) (i32.const 20)))
  (func (export "as_12_bits") (param $x i32) (result i32)  ;; no operator for it: two shifts
    (i32.shr_s (i32.shl (local.get $x) (i32.const 20)) (i32.const 20)))
  (func (export "shl_then_other") (param $x i32) (result i32)  ;; different counts: two shifts
    (i32.shr_s (i32.shl (local.get $x) (i32.const 16)) (i32.const 8)))
;; A load whose value only the store after it takes: one move (I64Move, I32Move).
  (func (export "move_fields") (param $p i32) (param $q i32)
    (i64.store offset=16 (local.get $p) (i64.load offset=8 (local.get $q)))
    (f64.store offset=24 (local.get $p) (f64.load offset=16 (local.get $q)))
    (i32.store (i32.add (local.get $p) (i32.const 32)) (i32.load (local.get $q)))
    (f32.store offset=36 (local.get $p) (f32.load offset=4 (local.get $q))))
  ;; Two moves with the same bases, the second at + 8 (a 16-byte copy as two words): one
  ;; I64Move2; an element's addresses just computed, then its two words: the same, after the
  ;; two sums (`[p + i] = [q + i]; [p + i + 8] = [q + i + 8]`).
  (func (export "move_pair") (param $p i32) (param $q i32)
    (i64.store (local.get $p) (i64.load (local.get $q)))
    (i64.store offset=8 (local.get $p) (i64.load offset=8 (local.get $q))))
  (func (export "move_element") (param $p i32) (param $q i32) (param $i i32) (local $d i32) (local $s i32)
    (i64.store (local.tee $d (i32.add (local.get $p) (local.get $i)))
               (i64.load (local.tee $s (i32.add (local.get $q) (local.get $i)))))
    (i64.store (i32.add (local.get $d) (i32.const 8))
               (i64.load (i32.add (local.get $s) (i32.const 8)))))
  ;; The loaded value also kept in a local: not a move.
  (func (export "move_keep") (param $p i32) (param $q i32) (result i64) (local $v i64)
    (i64.store (local.get $p) (local.tee $v (i64.load (local.get $q))))
    (local.get $v))
;; i32.and + br_if/if: one BrTest (BrTestZ when the jump is taken on zero).
  (func (export "has_bit") (param $x i32) (result i32)
    (if (result i32) (i32.and (local.get $x) (i32.const 0x10)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "any_common") (param $x i32) (param $y i32) (result i32)
    (block $yes
      (br_if $yes (i32.and (local.get $x) (local.get $y)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; A bit field, (x >> k) & m: one I32ShrAnd, the mask on either side.
  (func (export "field") (param $x i32) (result i32)
    (i32.add (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xFF))
             (i32.and (i32.const 0xF) (i32.shr_u (local.get $x) (i32.const 28)))))
  ;; A bit field tested by an if: x & (m << k). With k = 28 the mask's high bits fall off.
  (func (export "field_set") (param $x i32) (result i32)
    (if (result i32) (i32.and (i32.shr_u (local.get $x) (i32.const 28)) (i32.const 0x1F))
      (then (i32.const 1)) (else (i32.const 0))))
  ;; The same tested through i32.eqz (`if (!(x & m))`): one BrTestZ (BrTest for the if's jump).
  (func (export "lacks_bit") (param $x i32) (result i32)
    (block $no
      (br_if $no (i32.eqz (i32.and (local.get $x) (i32.const 0x10))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "lacks_field") (param $x i32) (result i32)
    (if (result i32) (i32.eqz (i32.and (i32.shr_u (local.get $x) (i32.const 4)) (i32.const 3)))
      (then (i32.const 1)) (else (i32.const 0))))
  ;; i64.eqz + br_if/if, and i32.eqz + br_if back to a loop: compares with 0.
  (func (export "zero64") (param $x i64) (result i32)
    (block $z
      (br_if $z (i64.eqz (local.get $x)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "nonzero64") (param $x i64) (result i32)
    (if (result i32) (i64.eqz (local.get $x)) (then (i32.const 0)) (else (i32.const 1))))
  (func (export "count_down") (param $n i32) (result i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))
      (br_if $l (i32.eqz (i32.eqz (local.get $n)))))
    (local.get $k))
  ;; A compare whose result only a select reads: one Select<compare> (x and y swapped for the
  ;; negated integer compares); float compares other than lt and gt stay two instructions.
  (func (export "sel_lts") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_s (local.get $a) (local.get $b))))
  (func (export "sel_geu") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.ge_u (local.get $a) (local.get $b))))
  (func (export "sel_ne_k") (param $a i32) (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.ne (local.get $a) (i32.const 5))))
  (func (export "sel_les_k") (param $a i32) (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.le_s (local.get $a) (i32.const -2))))
  (func (export "sel_f32_gt") (param $a f32) (param $x f32) (param $y f32) (result f32)
    (select (local.get $x) (f32.neg (local.get $y)) (f32.gt (local.get $a) (f32.const 640))))
  (func (export "sel_f64_lt") (param $a f64) (param $b f64) (param $x i64) (param $y i64) (result i64)
    (select (local.get $x) (local.get $y) (f64.lt (f64.add (local.get $a) (local.get $b)) (local.get $b))))
  (func (export "sel_f32_le") (param $a f32) (param $b f32) (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (f32.le (local.get $a) (local.get $b))))
  ;; A value carried to a label by a copy or a constant, then the jump: one CopyBr, one ConstBr.
  (func (export "carry") (param $x i32) (param $y i32) (result i32)
    (block $done (result i32)
      (br_if $done (local.get $y) (i32.lt_s (local.get $x) (i32.const 0)))
      drop
      (br $done (i32.const 7))))
  ;; br_table on x - 3 (a lazy local + constant) and on a loaded value - 3 (an add just emitted).
  (func (export "switch_local") (param $x i32) (result i32)
    (block $d (block $c1 (block $c0
      (br_table $c0 $c1 $d (i32.sub (local.get $x) (i32.const 3))))
      (return (i32.const 10)))
      (return (i32.const 11)))
    (i32.const 12))
  (func (export "switch_loaded") (param $p i32) (result i32)
    (block $d (block $c1 (block $c0
      (br_table $c0 $c1 $d (i32.add (i32.load (local.get $p)) (i32.const -3))))
      (return (i32.const 10)))
      (return (i32.const 11)))
    (i32.const 12))
  ;; Calls copy arguments and zero locals in chunks (compile/code.h): a frame left dirty by one
  ;; call, then another whose locals must read zero; arguments past a chunk, and constants.
  (func $dirty (param i32 i32 i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 6 (i32.const -1)) (local.set 10 (i32.const -1)) (local.set 14 (i32.const -1))
    (local.set 17 (i32.const -1))
    (i32.add (local.get 0) (local.get 5)))
  (func $sum_locals (param $a i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.or (i32.or (i32.or (local.get 5) (local.get 9)) (i32.or (local.get 13) (local.get 16)))
            (i32.or (local.get 1) (local.get 17))))
  (func $weigh (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 2)))
                      (i32.add (i32.mul (local.get 2) (i32.const 4)) (i32.mul (local.get 3) (i32.const 8))))
             (i32.add (i32.add (i32.mul (local.get 4) (i32.const 16)) (i32.mul (local.get 5) (i32.const 32)))
                      (i32.mul (local.get 6) (i32.const 64)))))
  (func (export "calls") (param $x i32) (result i32)
    (i32.add
      (i32.add (call $dirty (local.get $x) (i32.const 2) (local.get $x) (i32.const 4) (local.get $x) (i32.const 6))
               (call $sum_locals (local.get $x)))
      (call $weigh (i32.const 1) (local.get $x) (i32.const 1) (local.get $x) (i32.const 1) (local.get $x)
                   (i32.const 1))))
  ;; Short call forms (one chunk of argument sources, no constants): direct and indirect, the
  ;; sources locals, computed values and padding.
  (type $ii_i (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $sub2 $seven)
  (func $sub2 (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func $seven (param i32 i32) (result i32) (i32.const 7))
  (func (export "short_calls") (param $x i32) (param $y i32) (result i32)
    (local $a i32) (local $b i32) (local $k i32)
    (local.set $a (call $sub2 (local.get $x) (local.get $y)))
    (local.set $b (call_indirect (type $ii_i) (local.get $a) (local.get $x) (i32.const 0)))
    (local.set $k (call_indirect (type $ii_i) (local.get $a) (local.get $b) (i32.const 1)))
    (call $sub2 (i32.mul (local.get $b) (i32.const 3)) (local.get $y))
    (i32.add (i32.mul (local.get $a) (i32.const 1000)))
    (i32.add (i32.mul (local.get $b) (i32.const 100000)))
    (i32.add (i32.mul (local.get $k) (i32.const 10000000))))
  ;; A constant 0 argument is copied from the zero slot: still a short call.
  (func (export "zero_args") (param $x i32) (result i32)
    (i32.add (call $sub2 (i32.const 0) (local.get $x))
             (i32.mul (call $sub2 (local.get $x) (i32.const 0)) (i32.const 3))))
  ;; A call's single result comes back in the integer accumulator too (note_call_result): the
  ;; copies to locals after the calls read it there (CopyI32_a), the `if` on a result too. The
  ;; callees return a local (Return1), a sum (Return1_a), a constant (Return1K, through the
  ;; table) and by a tail call; an i64 keeps all its bits.
  (func $second (param i32 i32) (result i32) (local.get 1))
  (func $tail_sub2 (param i32 i32) (result i32) (return_call $sub2 (local.get 0) (local.get 1)))
  (func (export "call_acc") (param $x i32) (param $y i32) (result i32)
    (local $a i32) (local $b i32) (local $k i32) (local $t i32)
    (local.set $a (call $second (local.get $y) (local.get $x)))
    (local.set $b (call $sub2 (local.get $a) (local.get $y)))
    (local.set $k (call_indirect (type $ii_i) (local.get $a) (local.get $b) (i32.const 1)))
    (local.set $t (call $tail_sub2 (local.get $k) (local.get $b)))
    (if (call $sub2 (local.get $x) (local.get $y))
      (then (local.set $t (i32.add (local.get $t) (i32.const 1000)))))
    (i32.add (i32.add (i32.mul (local.get $a) (i32.const 1000000)) (i32.mul (local.get $b) (i32.const 10000)))
             (i32.add (i32.mul (local.get $k) (i32.const 100)) (local.get $t))))
  (func $flip (param i64) (result i64) (i64.xor (local.get 0) (i64.const 0x8000000000000001)))
  (func (export "call_acc64") (param $x i64) (result i64) (local $w i64)
    (local.set $w (call $flip (local.get $x)))
    (i64.sub (local.get $w) (local.get $x)))
;; One constant argument (a non-zero constant: 0 is the zero slot's) keeps a direct call short:
  ;; CallShortK writes it after the sources. $mix3 weighs its arguments, so a misplaced one shows.
  (func $mix3 (param i32 i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 10)))
             (i32.mul (local.get 2) (i32.const 100))))
  (func (export "short_k") (param $x i32) (result i32)
    (i32.add
      (i32.add (call $mix3 (local.get $x) (i32.const 7) (local.get $x))
               (call $mix3 (i32.const 3) (i32.const 0) (i32.add (local.get $x) (i32.const 1))))
      (call $mix3 (i32.const 5) (local.get $x) (i32.const 9))))
  ;; Recursion through CallShortK: n steps of 2 (its argument computed in place, the step a
  ;; constant); deep enough, it exhausts the call depth.
  (func $step_down (export "step_down") (param $n i32) (param $step i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (local.get $step)
                     (call $step_down (i32.sub (local.get $n) (i32.const 1)) (i32.const 2))))))
  ;; A static table's element: (i << 2) + 1024 (a constant base) read as one I32Load_tbl; the
  ;; sum wraps in 32 bits before the offset is added. A byte table with the constant first.
  (func (export "table32") (param $i i32) (result i32)
    (i32.load offset=4 (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 1024))))
  (func (export "table8") (param $i i32) (result i32)
    (i32.load8_s (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 1)))))
  ;; (i << 3) - 8 kept as a value (I32ShlAdd), not an address.
  (func (export "shl_sub") (param $i i32) (result i32)
    (i32.sub (i32.shl (local.get $i) (i32.const 3)) (i32.const 8)))
  ;; A loop that counts up to 0 and branches on the counter itself (`x += 4; br_if x`), as clang
  ;; emits them: the step and the branch are one BrInc (x != 0). Sums the bytes at [n - 4*k].
  (func (export "sum_to_0") (param $n i32) (result i32) (local $x i32) (local $s i32)
    (local.set $x (i32.sub (i32.const 0) (local.get $n)))
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u offset=64 (i32.add (local.get $x) (local.get $n)))))
      (br_if $l (local.tee $x (i32.add (local.get $x) (i32.const 4)))))
    (local.get $s))
  ;; A load whose value only the branch right after it reads (LOADBR in iops.def).
  (func (export "load_if") (param $p i32) (result i32)  ;; if (p->x): BrUnless_l
    (if (result i32) (i32.load offset=4 (local.get $p)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "load_not") (param $p i32) (result i32)  ;; if (!p->x): eqz, br_if: BrUnless_l
    (block (br_if 0 (i32.eqz (i32.load offset=4 (local.get $p)))) (return (i32.const 1)))
    (i32.const 0))
  (func (export "byte_is_x") (param $p i32) (result i32)  ;; if (*p == 'x'): BrI32Ne_l8i
    (if (result i32) (i32.eq (i32.load8_u (local.get $p)) (i32.const 120))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "below_field") (param $p i32) (param $q i32) (result i32)
    ;; q < p->n (the load second): p->n > q, BrI32LeS_ls on the jump past the then
    (if (result i32) (i32.lt_s (local.get $q) (i32.load offset=8 (i32.add (local.get $p) (i32.const 4))))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "flag_set") (param $p i32) (result i32)  ;; if (p->flags & 4): BrTestZ_li
    (if (result i32) (i32.and (i32.load (local.get $p)) (i32.const 4))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "switch_byte") (param $p i32) (result i32)  ;; switch (*p): BrTable_l8
    (block (block (block (br_table 0 1 2 (i32.load8_u offset=1 (local.get $p))))
      (return (i32.const 10))) (return (i32.const 11)))
    (i32.const 12))
  ;; The value kept in a local that is read after (the _k forms, which write the local too).
  ;; (An `if` copies a local condition first: materialize_all_locals.)
  (func (export "load_kept") (param $p i32) (result i32) (local $v i32)  ;; BrUnless_lk
    (block (br_if 0 (i32.eqz (local.tee $v (i32.load (local.get $p)))))
      (return (i32.add (local.get $v) (i32.const 1))))
    (i32.const 0))
  (func (export "load_kept_nonzero") (param $p i32) (result i32) (local $v i32)  ;; BrIf_lk
    (block (br_if 0 (local.tee $v (i32.load offset=4 (local.get $p)))) (return (i32.const -1)))
    (local.get $v))
  ;; memcmp's byte loop: both bytes kept for the difference after it; the second load fused,
  ;; turned around (BrI32Ne_l8ks).
  (func (export "bytes_cmp") (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $x i32) (local $y i32)
    (block $differ
      (loop $l
        (br_if $differ (i32.ne (local.tee $x (i32.load8_u (local.get $a)))
                               (local.tee $y (i32.load8_u offset=2 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (return (i32.const 0)))
    (i32.sub (local.get $x) (local.get $y)))
  ;; v = t[i]; v <u k ? v : -1 (BrI32GeU_xks).
  (func (export "entry_kept") (param $t i32) (param $i i32) (param $k i32) (result i32) (local $v i32)
    (if (result i32) (i32.lt_u (local.tee $v (i32.load offset=4 (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 2)))))
                              (local.get $k))
      (then (local.get $v)) (else (i32.const -1))))
  ;; The local's old value, on the stack before the load overwrites it, is the compare's first
  ;; operand: 7 < v (the new one) ? v : -1.
  (func (export "kept_old") (param $p i32) (result i32) (local $v i32)
    (local.set $v (i32.const 7))
    (local.get $v)
    (local.tee $v (i32.load8_u (local.get $p)))
    (i32.lt_s)
    (if (result i32) (then (local.get $v)) (else (i32.const -1))))
  ;; The same local both operands: v == v after v = *p.
  (func (export "kept_self") (param $p i32) (result i32) (local $v i32)
    (local.set $v (i32.load (local.get $p)))
    (if (result i32) (i32.eq (local.get $v) (local.get $v))
      (then (local.get $v)) (else (i32.const -1))))
  ;; The same on _idx loads (base + (index << shift)), the _x LOADBR forms.
  ;; Match finders' byte compare: a[i] != b[j], the second load fused (turned around).
  (func (export "bytes_differ") (param $a i32) (param $i i32) (param $b i32) (param $j i32) (result i32)
    (block (br_if 0 (i32.ne (i32.load8_u offset=1 (i32.add (local.get $a) (local.get $i)))
                            (i32.load8_u offset=1 (i32.add (local.get $b) (local.get $j)))))
      (return (i32.const 0)))
    (i32.const 1))
  ;; t[i] <u k (the first operand loaded): BrI32GeU_xs on the jump past the then.
  (func (export "entry_below") (param $t i32) (param $i i32) (param $k i32) (result i32)
    (if (result i32) (i32.lt_u (i32.load offset=4 (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 2))))
                              (local.get $k))
      (then (i32.const 1)) (else (i32.const 0))))
  ;; if (t[i]): BrUnless_x; if (!(t[i] & 2)) on a byte: BrTest_x8i.
  (func (export "entry_set") (param $t i32) (param $i i32) (result i32)
    (if (result i32) (i32.load (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 2))))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "byte_bit_clear") (param $t i32) (param $i i32) (result i32)
    (block (br_if 0 (i32.and (i32.load8_u (i32.add (local.get $t) (local.get $i))) (i32.const 2)))
      (return (i32.const 1)))
    (i32.const 0))
  ;; switch (t[i]): no BrTable form takes an _idx load; it stays a load and a BrTable.
  (func (export "switch_entry") (param $t i32) (param $i i32) (result i32)
    (block (block (br_table 0 1 (i32.load8_u (i32.add (local.get $t) (local.get $i)))))
      (return (i32.const 10)))
    (i32.const 11))
  ;; The integer accumulator (execute/iacc_iops.def): an i32 result read by the instruction right
  ;; after it from a register, not its slot.
  (func (export "acc_add") (param $a i32) (param $b i32) (result i32)  ;; a * b + 7: I32Add_ai
    (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.const 7)))
  (func (export "acc_xor_second") (param $a i32) (param $b i32) (param $c i32) (result i32)
    ;; c ^ (a * b): xor swaps to take the product first, I32Xor_as
    (i32.xor (local.get $c) (i32.mul (local.get $a) (local.get $b))))
  (func (export "acc_sub_second") (param $a i32) (param $b i32) (param $c i32) (result i32)
    ;; c - (a * b): sub cannot swap; it reads the product as its second operand, I32Sub_sa
    (i32.sub (local.get $c) (i32.mul (local.get $a) (local.get $b))))
  (func (export "acc_shr_s") (param $a i32) (param $b i32) (result i32)  ;; (a - b) >> 1, signed
    (i32.shr_s (i32.sub (local.get $a) (local.get $b)) (i32.const 1)))
  (func (export "acc_below") (param $a i32) (param $b i32) (param $c i32) (result i32)
    ;; if (a + b < c), unsigned, the sum wrapping: BrI32GeU_as on the jump past the then
    (if (result i32) (i32.lt_u (i32.add (local.get $a) (local.get $b)) (local.get $c))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "acc_above") (param $a i32) (param $b i32) (param $c i32) (result i32)
    ;; if (c < a + b), signed: turned around, a + b > c, BrI32LeS_as on the jump past the then
    (if (result i32) (i32.lt_s (local.get $c) (i32.add (local.get $a) (local.get $b)))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "acc_br_if") (param $a i32) (param $b i32) (result i32)  ;; br_if (a + b): BrIf_a
    (block (br_if 0 (i32.add (local.get $a) (local.get $b))) (return (i32.const 0)))
    (i32.const 1))
  (func (export "acc_switch") (param $a i32) (result i32)  ;; switch (a >> 4): BrTable_a
    (block (block (block (br_table 0 1 2 (i32.shr_u (local.get $a) (i32.const 4))))
      (return (i32.const 10))) (return (i32.const 11)))
    (i32.const 12))
  (func (export "acc_chase") (param $p i32) (result i32)  ;; p->next->x: I32Load_a
    (i32.load offset=4 (i32.load offset=8 (local.get $p))))
  (func (export "acc_byte") (param $p i32) (param $q i32) (result i32)  ;; ((char*)(p ^ q))[3]
    (i32.load8_u offset=3 (i32.xor (local.get $p) (local.get $q))))
  (func (export "acc_local") (param $a i32) (param $b i32) (result i32) (local $x i32)
    ;; x = a * b; x ^ 1: the local written by the multiply is read from the register
    (local.set $x (i32.mul (local.get $a) (local.get $b)))
    (i32.xor (local.get $x) (i32.const 1)))
  (func (export "acc_retired") (param $a i32) (param $b i32) (param $x i32) (result i32)
    ;; (x + 5) + (x = a * b + 1): the tee puts the computation of x + 5 (an I32Add_si) between
    ;; the multiply and the add, which then reads the product from its slot
    (i32.add (i32.add (local.get $x) (i32.const 5))
             (local.tee $x (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.const 1)))))
  (func (export "acc_bit_field") (param $a i32) (param $b i32) (result i32)  ;; (a * b >> 4) & 15
    (i32.and (i32.shr_u (i32.mul (local.get $a) (local.get $b)) (i32.const 4)) (i32.const 15)))
  (func (export "acc_table") (param $a i32) (param $b i32) (result i32)  ;; table[a ^ b], at 1024
    (i32.load (i32.add (i32.shl (i32.xor (local.get $a) (local.get $b)) (i32.const 2))
                       (i32.const 1024))))
  (func (export "acc_index") (param $p i32) (param $a i32) (result i32)  ;; p[a & 7]: I32Load_idx_ia
    (i32.load (i32.add (local.get $p) (i32.shl (i32.and (local.get $a) (i32.const 7)) (i32.const 2)))))
  (func (export "slotless_loadbr") (param $p i32) (param $q i32) (result i32)
    ;; *(int *)(p ^ q) == 120: the load (I32Load_a on the xor) is taken into the branch after it,
    ;; which reads the address from its slot: the xor must keep writing it (slotless_iops.def)
    (block (br_if 0 (i32.ne (i32.load (i32.xor (local.get $p) (local.get $q))) (i32.const 120)))
      (return (i32.const 1)))
    (i32.const 0))
  (func (export "acc_xor_byte") (param $a i32) (param $b i32) (param $p i32) (result i32)
    ;; (a * b) ^ *p: I32Xor_sm8u_a
    (i32.xor (i32.mul (local.get $a) (local.get $b)) (i32.load8_u (local.get $p))))
  ;; Stores and I32AddShl reading the integer accumulator (the value stored, or the base).
  (func (export "acc_store") (param $p i32) (param $a i32) (param $b i32) (result i32)
    ;; p[1] = a * b: I32Store_v
    (i32.store offset=4 (local.get $p) (i32.mul (local.get $a) (local.get $b)))
    (i32.load offset=4 (local.get $p)))
  (func (export "acc_store8") (param $p i32) (param $a i32) (result i32)
    ;; ((char*)p)[2 + 1] = a + 0x100, a byte: the lazy sum's I32Add_si, then I32Store8_addv
    (i32.store8 offset=1 (i32.add (local.get $p) (i32.const 2))
                (i32.add (local.get $a) (i32.const 0x100)))
    (i32.load (local.get $p)))
  (func (export "acc_store_idx") (param $p i32) (param $i i32) (param $a i32) (param $b i32)
    (result i32) (local $x i32)
    ;; x = a * b; p[i] = x: the address sum fused into the store, I32Store_idxv
    (local.set $x (i32.mul (local.get $a) (local.get $b)))
    (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $x))
    (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
  (func (export "acc_store_base") (param $p i32) (param $v i32)
    ;; p->next->x = v: I32Store_a on the loaded pointer
    (i32.store offset=4 (i32.load offset=8 (local.get $p)) (local.get $v)))
  (func (export "acc_store_const") (param $p i32)
    ;; p->next->x = 99: I32Store_ka
    (i32.store offset=4 (i32.load offset=8 (local.get $p)) (i32.const 99)))
  (func (export "acc_store64") (param $p i32) (param $q i32) (param $x i64) (result i64)
    ;; *p = x + *q, 64 bits: I64Add_sm, then I64Store_v
    (i64.store (local.get $p) (i64.add (local.get $x) (i64.load (local.get $q))))
    (i64.load (local.get $p)))
  (func (export "acc_add_shl") (param $p i32) (param $q i32) (result i32)
    ;; p + (*q << 2): the index just loaded, I32AddShl_ia
    (i32.add (local.get $p) (i32.shl (i32.load (local.get $q)) (i32.const 2))))
  (func (export "acc_add_shl_base") (param $q i32) (param $i i32) (result i32)
    ;; *q + (i << 3): the base just loaded, I32AddShl_a
    (i32.add (i32.load (local.get $q)) (i32.shl (local.get $i) (i32.const 3))))
  (func (export "acc_loop_turned") (param $n i32) (result i32) (local $i i32)
    ;; do i += 3; while (n > i), signed: the step does not fuse into a BrInc (i is the second
    ;; operand), so the compare turned around, i < n, reads i from the register:
    ;; BrI32LtS_as_loop
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $l (i32.gt_s (local.get $n) (local.get $i))))
    (local.get $i))
  (func (export "acc_loop_br_if") (param $x i32) (result i32) (local $s i32)
    ;; do s ^= x; while (x >>= 1): BrIfLoop_a on the shifted x
    (loop $l
      (local.set $s (i32.xor (local.get $s) (local.get $x)))
      (br_if $l (local.tee $x (i32.shr_u (local.get $x) (i32.const 1)))))
    (local.get $s))
  ;; A copy of an integer result (`local.tee x; local.set y`) from the integer accumulator
  ;; (CopyI32_a), which keeps it there for the instruction after, reading x or y.
  (func (export "acc_copy") (param $a i32) (param $b i32) (result i32)  ;; y = x = a - b; (y >> 31) ^ x
    (local $x i32) (local $y i32)
    (local.set $y (local.tee $x (i32.sub (local.get $a) (local.get $b))))
    (i32.xor (i32.shr_s (local.get $y) (i32.const 31)) (local.get $x)))
  (func (export "acc_copy_src") (param $a i32) (param $b i32) (result i32)  ;; y = x = a * b; (x + 3) - y
    (local $x i32) (local $y i32)
    (local.set $y (local.tee $x (i32.mul (local.get $a) (local.get $b))))
    (i32.sub (i32.add (local.get $x) (i32.const 3)) (local.get $y)))
  (func (export "acc_copy64") (param $p i32) (result i64)  ;; y = x = [p]; [p + 8] = y; [p + 8] + x
    (local $x i64) (local $y i64)  ;; all 64 bits go through the register
    (local.set $y (local.tee $x (i64.load (local.get $p))))
    (i64.store offset=8 (local.get $p) (local.get $y))
    (i64.add (i64.load offset=8 (local.get $p)) (local.get $x)))
  (func (export "acc_abs_byte") (param $p i32) (result i32) (local $x i32)  ;; clang's abs([p])
    ;; x = [p]; t = x; x >>= 31; (t + x) ^ x: the copy saving x (put before the shift, which
    ;; overwrites x) reads the register and keeps it for the shift (I32ShrS_ai)
    (local.tee $x (i32.load8_s (local.get $p)))
    (local.get $x) (i32.const 31) (i32.shr_s) (local.tee $x)
    (i32.add) (local.get $x) (i32.xor))
  (func (export "acc_xor_word") (param $h i32) (param $p i32) (result i32)  ;; ((h << 5) ^ [p]) + 1
    ;; the load fuses into the xor (I32Xor_sm), which reads h << 5 from the register (_a)
    (i32.add (i32.xor (i32.shl (local.get $h) (i32.const 5)) (i32.load (local.get $p))) (i32.const 1)))
  (func (export "acc_select") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    ;; (a ^ 5) > b (unsigned) ? x : y: the select reads a ^ 5 from the register (SelectI32GtU_as)
    (select (local.get $x) (local.get $y) (i32.gt_u (i32.xor (local.get $a) (i32.const 5)) (local.get $b))))
  (func (export "acc_select_turned") (param $a i32) (param $b i32) (param $x i32) (param $y i32) (result i32)
    ;; b < (a ^ 5) (signed) ? x : y, turned around: (a ^ 5) > b (SelectI32GtS_as)
    (select (local.get $x) (local.get $y) (i32.lt_s (local.get $b) (i32.xor (local.get $a) (i32.const 5)))))
  (func (export "acc_copy_loop") (param $n i32) (result i32)  ;; do y = n = n & (n - 1); while (y)
    (local $y i32) (local $k i32)  ;; k = 2^(n's bits) - 1 (1 for 0): BrIfLoop_a reads y
    (loop $l
      (local.set $k (i32.or (i32.shl (local.get $k) (i32.const 1)) (i32.const 1)))
      (local.set $y (local.tee $n (i32.and (local.get $n) (i32.sub (local.get $n) (i32.const 1)))))
      (br_if $l (local.get $y)))
    (local.get $k))
  ;; The float accumulator read by both operands (`x * x`, `x + x`: _aa), by a compare-and-branch
  ;; (Br<cmp>_as, _ai, their loop forms, BrNot<cmp>), and through a copy (CopyF64_a, CopyF32_a).
  (func (export "facc_square") (param $a f64) (param $b f64) (result f64)  ;; (a + b)^2: F64Mul_aa
    (local $p f64)
    (f64.mul (local.tee $p (f64.add (local.get $a) (local.get $b))) (local.get $p)))
  (func (export "facc_double_f32") (param $a f32) (param $b f32) (result f32)  ;; 2ab: F32Add_aa
    (local $p f32)
    (f32.add (local.tee $p (f32.mul (local.get $a) (local.get $b))) (local.get $p)))
  (func (export "facc_loop") (param $x f64) (param $step i32) (result i32)  ;; until x * x > 4
    (local $n i32)  ;; (a step not constant: n += 1 would be deferred to the compare, between)
    (loop $l
      (local.set $n (i32.add (local.get $n) (local.get $step)))
      (local.set $x (f64.add (local.get $x) (local.get $x)))
      (br_if $l (f64.le (f64.mul (local.get $x) (local.get $x)) (f64.const 4))))
    (local.get $n))
  (func (export "facc_if_lt") (param $a f32) (param $b f32) (param $c f32) (result i32)
    (if (result i32) (f32.lt (f32.mul (local.get $a) (local.get $b)) (local.get $c))  ;; BrNotF32Lt_as
      (then (i32.const 1)) (else (i32.const 2))))
  (func (export "facc_br_gt") (param $a f64) (param $b f64) (param $c f64) (result i32)
    (block $yes  ;; c > a - b, turned around: a - b < c (BrF64Lt_as)
      (br_if $yes (f64.gt (local.get $c) (f64.sub (local.get $a) (local.get $b))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "facc_copy") (param $a f64) (param $b f64) (result f64)  ;; x = y = a * b; x * x - y
    (local $x f64) (local $y f64)
    (local.set $y (local.tee $x (f64.mul (local.get $a) (local.get $b))))
    (f64.sub (f64.mul (local.get $x) (local.get $x)) (local.get $y)))
  (func (export "facc_mem") (param $p i32) (param $x f64) (result f64)  ;; d = [p] - x; d * d
    (local $d f64)  ;; F64Sub_ms leaves d in the accumulator: F64Mul_aa
    (f64.mul (local.tee $d (f64.sub (f64.load (local.get $p)) (local.get $x))) (local.get $d)))
  (func (export "facc_mem_f32") (param $p i32) (param $x f32) (result f32)  ;; s = x * [p]; s + s
    (local $s f32)  ;; F32Mul_sm: F32Add_aa
    (f32.add (local.tee $s (f32.mul (local.get $x) (f32.load offset=4 (local.get $p)))) (local.get $s)))
  (func (export "facc_copy_f32") (param $a f32) (param $b f32) (result f32)  ;; y = x = a - b; y * y
    (local $x f32) (local $y f32)
    (local.set $y (local.tee $x (f32.sub (local.get $a) (local.get $b))))
    (f32.mul (local.get $y) (local.get $y)))
  ;; Pointer bumps deferred to the loop's branch back go out in pairs (I32Inc2): p and q here
  ;; (w, a third, alone: its step wraps below 0), n's step stays the branch's (BrInc).
  (func (export "inc2_three") (param $p i32) (param $q i32) (param $n i32) (result i32)
    (local $s i32) (local $w i32)
    (local.set $w (i32.const 3))
    (loop $next
      (local.set $s (i32.add (local.get $s)
        (i32.sub (i32.load8_u (local.get $p)) (i32.load8_u (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $q (i32.add (local.get $q) (i32.const 2)))
      (local.set $w (i32.add (local.get $w) (i32.const -5)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.xor (i32.add (i32.mul (local.get $s) (i32.const 1000)) (i32.add (local.get $p) (local.get $q)))
      (local.get $w)))
  ;; The pair's second local read by the compare right after it, from the integer accumulator:
  ;; `while (p != end)` with p bumped last (BrI32Ne_as_loop).
  (func (export "inc2_until") (param $p i32) (param $q i32) (param $end i32) (result i32)
    (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $q (i32.add (local.get $q) (i32.const 3)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $next (i32.ne (local.get $end) (local.get $p))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $q)))
  ;; Five bumps deferred to the branch back (four pointers and the counter, which clang emits
  ;; for unrolled copies): the four go out as two I32Inc2, the counter's step stays the BrInc's.
  (func (export "inc2_five") (param $p i32) (param $n i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $s i32)
    (local.set $a (local.get $p))
    (local.set $b (i32.const 7))
    (local.set $c (i32.const -9))
    (local.set $d (local.get $p))
    (loop $next
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3))
        (i32.sub (i32.load8_u (local.get $a)) (i32.load8_u offset=1 (local.get $d)))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 2)))
      (local.set $c (i32.add (local.get $c) (i32.const -3)))
      (local.set $d (i32.add (local.get $d) (i32.const 2)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.xor (i32.add (local.get $s) (i32.mul (local.get $a) (i32.const 1000)))
      (i32.add (i32.mul (local.get $b) (i32.const 77)) (i32.add (local.get $c) (local.get $d)))))
  ;; Nine at once: the ninth finds the queue full, which goes out in pairs (four I32Inc2).
  (func (export "inc2_nine") (param $p i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32) (local $f i32)
    (local $g i32) (local $h i32) (local $i i32)
    (local.set $a (i32.add (local.get $a) (i32.const 1)))
    (local.set $b (i32.add (local.get $b) (i32.const 2)))
    (local.set $c (i32.add (local.get $c) (i32.const 3)))
    (local.set $d (i32.add (local.get $d) (i32.const 4)))
    (local.set $e (i32.add (local.get $e) (i32.const 5)))
    (local.set $f (i32.add (local.get $f) (i32.const 6)))
    (local.set $g (i32.add (local.get $g) (i32.const 7)))
    (local.set $h (i32.add (local.get $h) (i32.const 8)))
    (local.set $i (i32.add (local.get $i) (i32.const -1)))
    (drop (call $sub3 (local.get $p) (local.get $p) (local.get $p)))
    (i32.add (i32.add (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.mul (local.get $c) (local.get $d)))
                      (i32.add (i32.mul (local.get $e) (local.get $f)) (i32.mul (local.get $g) (local.get $h))))
             (i32.mul (local.get $i) (local.get $p))))
  ;; Arguments that are a local plus a constant, put in their slots by the call: the first two
  ;; by one I32Add2_si (the second's sum wraps), the third alone.
  (func $sub3 (param $x i32) (param $y i32) (param $z i32) (result i32)
    (i32.sub (i32.mul (local.get $x) (i32.const 3)) (i32.xor (local.get $y) (local.get $z))))
  (func (export "add2_call") (param $p i32) (param $q i32) (result i32)
    (call $sub3 (i32.add (local.get $p) (i32.const 8)) (i32.add (local.get $q) (i32.const 2147483647))
                (i32.add (local.get $p) (i32.const -4))))
  ;; A bump flushed by a br, alone: it takes the jump (I32AddBrLoop_si back to the loop,
  ;; I32AddBr_si forward; the sum wraps).
  (func (export "add_br_loop") (param $p i32) (param $end i32) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 5)) (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $p)))
  (func (export "add_br_fwd") (param $p i32) (param $a i32) (result i32)
    (block $out
      (if (local.get $a) (then (local.set $p (i32.add (local.get $p) (i32.const 4))) (br $out)))
      (local.set $p (i32.mul (local.get $p) (i32.const 3))))
    (local.get $p))
  ;; Constants: two in a row are one Const2, one before a br takes the jump (ConstBr), and a
  ;; label between two keeps them apart (a jump lands on the second).
  (func (export "const_pair") (param $a i32) (result i32)
    (local $x i32) (local $y i64)
    (if (local.get $a) (then
      (local.set $x (i32.const 7))
      (local.set $y (i64.const -3))))
    (i32.add (i32.mul (local.get $x) (i32.const 100)) (i32.wrap_i64 (local.get $y))))
  (func (export "const_break") (param $a i32) (result i32)
    (local $x i32)
    (block $out
      (if (local.get $a) (then (local.set $x (i32.const 11)) (br $out)))
      (local.set $x (i32.add (local.get $a) (i32.const 2))))
    (local.get $x))
  (func (export "const_label") (param $a i32) (result i32)
    (local $x i32) (local $y i32)
    (local.set $x (i32.const 1))
    (block $b
      (br_if $b (local.get $a))
      (local.set $x (i32.const 2)))
    (local.set $y (i32.const 3))
    (i32.add (i32.mul (local.get $x) (i32.const 10)) (local.get $y)))
;; m & (m - 1) (I64ClearLow), the add first or second, and sub 1.
  (func (export "clear_low") (param $m i64) (result i64)
    (i64.and (local.get $m) (i64.add (local.get $m) (i64.const -1))))
  (func (export "clear_low_sub") (param $m i64) (result i64)
    (i64.and (i64.sub (local.get $m) (i64.const 1)) (local.get $m)))
  ;; Another local's m - 1: an add and an and, not one step.
  (func (export "and_other_minus_one") (param $a i64) (param $b i64) (result i64)
    (i64.and (local.get $a) (i64.add (local.get $b) (i64.const -1))))
  ;; A loop over the set bits of m, leaving on the eqz of the step kept in m (BrI64ClearLowZ):
  ;; counts them.
  (func (export "count_bits") (param $m i64) (result i32) (local $n i32)
    (block $done
      (br_if $done (i64.eqz (local.get $m)))
      (local.set $n (i32.const 1))
      (loop $l
        (br_if $done (i64.eqz (local.tee $m (i64.and (i64.add (local.get $m) (i64.const -1))
                                                      (local.get $m)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $n))
  ;; The same with n's step deferred (translate.cpp, flush_for) until the eqz, which emits it
  ;; between the step and the eqz: no fusion, the same count.
  (func (export "count_bits_deferred") (param $m i64) (result i32) (local $n i32)
    (block $done
      (br_if $done (i64.eqz (local.get $m)))
      (loop $l
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $done (i64.eqz (local.tee $m (i64.and (i64.add (local.get $m) (i64.const -1))
                                                      (local.get $m)))))
        (br $l)))
    (local.get $n))
  ;; The power-of-two test as an if (the jump to else when the step is not 0: BrI64ClearLowNZ);
  ;; returns m after it too, as m + 100 * result.
  (func (export "pow2_test") (param $m i64) (result i64)
    (if (result i64) (i64.eqz (i64.and (local.get $m) (i64.add (local.get $m) (i64.const -1))))
      (then (i64.add (local.get $m) (i64.const 100)))
      (else (local.get $m))))
  ;; Non-commutative operators whose second operand is the value just computed (y ^ 5, from the
  ;; integer accumulator; the xor writes no slot): I32Sub_sa, I32Shl_sa, I32ShrS_sa, I32ShrU_sa,
  ;; and after a constant first operand I32Sub_ia, I32Shl_ia.
  (func (export "acc_sub_by_value") (param $x i32) (param $y i32) (result i32)  ;; x - (y ^ 5)
    (i32.sub (local.get $x) (i32.xor (local.get $y) (i32.const 5))))
  (func (export "acc_shl_second") (param $x i32) (param $n i32) (result i32)  ;; x << (n ^ 1)
    (i32.shl (local.get $x) (i32.xor (local.get $n) (i32.const 1))))
  (func (export "acc_shr_s_second") (param $x i32) (param $n i32) (result i32)  ;; x >> (n ^ 1)
    (i32.shr_s (local.get $x) (i32.xor (local.get $n) (i32.const 1))))
  (func (export "acc_shr_u_second") (param $x i32) (param $n i32) (result i32)  ;; x >>> (n ^ 1)
    (i32.shr_u (local.get $x) (i32.xor (local.get $n) (i32.const 1))))
  (func (export "acc_sub_const_first") (param $y i32) (result i32)  ;; 10 - (y ^ 5)
    (i32.sub (i32.const 10) (i32.xor (local.get $y) (i32.const 5))))
  (func (export "acc_shl_const_first") (param $n i32) (result i32)  ;; 1 << (n ^ 1)
    (i32.shl (i32.const 1) (i32.xor (local.get $n) (i32.const 1))))
  ;; The float accumulator read as the second operand, by multiply-adds, stores, and after loads
  ;; (acc_iops.def, ACC_PAIR). 2 - 1 / (c / (c - a * b)): F64Sub_sa, F64Div_sa, F64Div_ia, F64Sub_ia.
  (func (export "facc_second") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.sub (f64.const 2)
      (f64.div (f64.const 1)
        (f64.div (local.get $c) (f64.sub (local.get $c) (f64.mul (local.get $a) (local.get $b)))))))
  (func (export "facc_second_f32") (param $a f32) (param $b f32) (param $c f32) (result f32)
    (f32.sub (f32.const 2)
      (f32.div (f32.const 1)
        (f32.div (local.get $c) (f32.sub (local.get $c) (f32.mul (local.get $a) (local.get $b)))))))
  ;; ((a * b) * c + d) + c * d: F64MulAdd_a (x the product before it), then F64MulAdd_za (z).
  (func (export "facc_muladd") (param $a f64) (param $b f64) (param $c f64) (param $d f64) (result f64)
    (f64.add
      (f64.add (f64.mul (f64.mul (local.get $a) (local.get $b)) (local.get $c)) (local.get $d))
      (f64.mul (local.get $c) (local.get $d))))
  ;; [p + 8] = a * b (F64Store_addv); x = a + b, [p + (i << 3)] = x (F64Store_idxv); [[p]] = a - b
  ;; (F64Store_v); [p + 4] = a * b as f32 (F32Store_v: p is the address, 4 its offset).
  (func (export "facc_store") (param $p i32) (param $i i32) (param $a f64) (param $b f64) (result f64)
    (local $x f64)
    (f64.store (i32.add (local.get $p) (i32.const 8)) (f64.mul (local.get $a) (local.get $b)))
    (local.set $x (f64.add (local.get $a) (local.get $b)))
    (f64.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3))) (local.get $x))
    (f64.store (i32.load (local.get $p)) (f64.sub (local.get $a) (local.get $b)))
    (f32.store offset=4 (local.get $p)
      (f32.mul (f32.demote_f64 (local.get $a)) (f32.demote_f64 (local.get $b))))
    (f64.add (f64.add (f64.load offset=8 (local.get $p))
                      (f64.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 3)))))
             (f64.add (f64.load (i32.load (local.get $p)))
                      (f64.promote_f32 (f32.load offset=4 (local.get $p))))))
  ;; Loads leave their value there: d = [p] - [p + 8] (F64Sub_sm_a), [p + 16] - d (F64Sub_ms_a),
  ;; [p] * [p + 8] (F64Mul_sm_a), c / [p + 16] (F64Div_sa); [q] + [q + 4] in f32 (F32Add_sm_a).
  (func (export "facc_load") (param $p i32) (param $c f64) (result f64)
    (local $d f64)
    (local.set $d (f64.sub (f64.load (local.get $p)) (f64.load offset=8 (local.get $p))))
    (f64.add
      (f64.sub (f64.load offset=16 (local.get $p)) (local.get $d))
      (f64.add (f64.mul (f64.load (local.get $p)) (f64.load offset=8 (local.get $p)))
               (f64.div (local.get $c) (f64.load offset=16 (local.get $p))))))
  (func (export "facc_load_f32") (param $q i32) (result f32)
    (f32.add (f32.load (local.get $q)) (f32.load offset=4 (local.get $q))))
  ;; br_if (!(a < b)) and if (!(a >= b)): the compare's branch, taken the other way (NaN: a < b
  ;; and a >= b are both false, so the br_if is taken and the if's arm runs).
  (func (export "fcmp_eqz") (param $a f64) (param $b f64) (result i32)
    (local $r i32)
    (block (br_if 0 (i32.eqz (f64.lt (local.get $a) (local.get $b)))) (local.set $r (i32.const 1)))
    (if (i32.eqz (f64.ge (local.get $a) (local.get $b)))
      (then (local.set $r (i32.add (local.get $r) (i32.const 10)))))
    (local.get $r))
  ;; call_indirect through a "vtable" in memory: the index just loaded is in the integer
  ;; accumulator (CallIndirectShort_a; CallIndirect_a with a constant argument, its general form).
  (func (export "vtable_calls") (param $vt i32) (param $x i32) (result i32)
    (i32.add
      (call_indirect (type $ii_i) (local.get $x) (i32.const 3) (i32.load (local.get $vt)))
      (i32.mul (call_indirect (type $ii_i) (local.get $x) (local.get $x)
                              (i32.load offset=4 (local.get $vt)))
               (i32.const 100))))

  ;; memory.copy and memory.fill: small ones run inline (execute/bulk_small.h), larger ones
  ;; through memmove/memset, out of bounds the slow path, which traps.
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))

  ;; xorshift steps: a shift by a constant and an xor with the value shifted (I32XorShl, ...),
  ;; chained through the integer accumulator; the operand order either way.
  (func (export "xorshift32") (param $x i32) (param $n i32) (result i32)
    (loop $l
      (local.set $x (i32.xor (i32.shl (local.get $x) (i32.const 13)) (local.get $x)))
      (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
      (local.set $x (i32.xor (i32.shl (local.get $x) (i32.const 37)) (local.get $x)))  ;; 37 & 31
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
  (func (export "xorshift64") (param $x i64) (result i64)
    (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
    (local.set $x (i64.xor (i64.shr_u (local.get $x) (i64.const 71)) (local.get $x)))  ;; 71 & 63
    (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
  ;; Not a step: the xor's other operand is another local, or the shift is signed.
  (func (export "xor_shift_other") (param $x i32) (param $y i32) (result i32)
    (i32.add (i32.xor (i32.shl (local.get $x) (i32.const 3)) (local.get $y))
             (i32.xor (i32.shr_s (local.get $x) (i32.const 3)) (local.get $x))))
)
