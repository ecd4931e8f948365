;; call_indirect's frame entry from the callee's Function (its copies of the frame size, the
;; parameter count, the slots to zero and the entry; test_indirect.cpp): a callee with more
;; parameters than one argument chunk and more locals than one zeroing chunk, run right after a
;; callee that dirtied the same slots; host functions in the table; recursion through the table
;; until the VM stack is full; a trap in a callee reached through the table.
(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (import "env" "sum6" (func $sum6 (param i32 i32 i32 i32 i32 i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (type $six (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (type $deep (func (param i64) (result i64)))
  (table $t 8 funcref)
  (elem (table $t) (i32.const 0) func $dirty $wide $twice $sum6 $deep $div $wide_f64)

  ;; writes 20 locals with a nonzero pattern (the slots the next callee's locals take)
  (func $dirty (param i32 i32 i32 i32 i32 i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 6 (i64.const -1)) (local.set 7 (i64.const -1)) (local.set 8 (i64.const -1))
    (local.set 9 (i64.const -1)) (local.set 10 (i64.const -1)) (local.set 11 (i64.const -1))
    (local.set 12 (i64.const -1)) (local.set 13 (i64.const -1)) (local.set 14 (i64.const -1))
    (local.set 15 (i64.const -1)) (local.set 16 (i64.const -1)) (local.set 17 (i64.const -1))
    (local.set 18 (i64.const -1)) (local.set 19 (i64.const -1)) (local.set 20 (i64.const -1))
    (local.set 21 (i64.const -1)) (local.set 22 (i64.const -1)) (local.set 23 (i64.const -1))
    (local.set 24 (i64.const -1)) (local.set 25 (i64.const -1))
    (i32.const 7))
  ;; a*1 + b*10 + ... + f*100000 plus every local (each must start at 0)
  (func $wide (param i32 i32 i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.add
      (i32.add
        (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 10)))
                 (i32.add (i32.mul (local.get 2) (i32.const 100))
                          (i32.mul (local.get 3) (i32.const 1000))))
        (i32.add (i32.mul (local.get 4) (i32.const 10000))
                 (i32.mul (local.get 5) (i32.const 100000))))
      (i32.add
        (i32.add
          (i32.add (i32.add (local.get 6) (local.get 7)) (i32.add (local.get 8) (local.get 9)))
          (i32.add (i32.add (local.get 10) (local.get 11)) (i32.add (local.get 12) (local.get 13))))
        (i32.add
          (i32.add (i32.add (local.get 14) (local.get 15)) (i32.add (local.get 16) (local.get 17)))
          (i32.add
            (i32.add (i32.add (local.get 18) (local.get 19)) (i32.add (local.get 20) (local.get 21)))
            (i32.add (i32.add (local.get 22) (local.get 23)) (i32.add (local.get 24) (local.get 25))))))))
  ;; the same shape with f64 locals (the zeroed slots read as doubles): the sum of the six
  ;; parameters plus every local
  (func $wide_f64 (param i32 i32 i32 i32 i32 i32) (result i32)
    (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
    (i32.add
      (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))
      (i32.add (i32.add (local.get 4) (local.get 5))
        (i32.trunc_f64_s
          (f64.add
            (f64.add (f64.add (local.get 6) (local.get 7)) (f64.add (local.get 8) (local.get 9)))
            (f64.add
              (f64.add (f64.add (local.get 10) (local.get 11)) (f64.add (local.get 12) (local.get 13)))
              (f64.add (local.get 14) (local.get 15))))))))
  ;; table[0](...) to dirty the slots, then table[i](1, 2, 3, 4, 5, 6)
  (func (export "dirty_then") (param $i i32) (result i32)
    (drop (call_indirect $t (type $six)
      (i32.const 9) (i32.const 9) (i32.const 9) (i32.const 9) (i32.const 9) (i32.const 9)
      (i32.const 0)))
    (call_indirect $t (type $six)
      (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)
      (local.get $i)))
  ;; table[i](x) with the unary type
  (func (export "unary") (param $i i32) (param $x i32) (result i32)
    (call_indirect $t (type $unary) (local.get $x) (local.get $i)))
  ;; n levels of recursion through table[4], each frame 40 i64 locals wide
  (func $deep (param $n i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get 40))
      (else (i64.add (i64.const 1)
        (call_indirect $t (type $deep) (i64.sub (local.get $n) (i64.const 1)) (i32.const 4))))))
  (func (export "deep") (param $n i64) (result i64)
    (call_indirect $t (type $deep) (local.get $n) (i32.const 4)))
  ;; 100 / x: traps in the callee when x is 0
  (func $div (param $x i32) (result i32) (i32.div_s (i32.const 100) (local.get $x))))
