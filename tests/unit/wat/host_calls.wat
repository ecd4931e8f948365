;; Host calls in each argument form (test_host_calls.cpp): arguments computed in place
;; (CallImportInPlace), read from locals (CallImportShort), more than a chunk of them.
(module
  (import "env" "step" (func $step (param i32) (result i32)))
  (import "env" "sum5" (func $sum5 (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "tick" (func $tick (result i32)))
  ;; acc = step(acc ^ i) for i in [0, n): the argument computed in place
  (func (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $step (i32.xor (local.get $acc) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; the argument read from a local
  (func (export "step_local") (param $x i32) (result i32) (call $step (local.get $x)))
  ;; five arguments (more than a chunk of four) computed in place, and from locals
  (func (export "sum5_in_place") (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (param $e i32) (result i32)
    (call $sum5 (i32.add (local.get $a) (i32.const 1)) (i32.add (local.get $b) (i32.const 1))
                (i32.add (local.get $c) (i32.const 1)) (i32.add (local.get $d) (i32.const 1))
                (i32.add (local.get $e) (i32.const 1))))
  (func (export "sum5_locals") (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (param $e i32) (result i32)
    (call $sum5 (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $e)))
  ;; no arguments: the result lands where the arguments would be, under a value kept on the stack
  (func (export "tick_twice") (result i32)
    (i32.sub (i32.mul (call $tick) (i32.const 100)) (call $tick))))
