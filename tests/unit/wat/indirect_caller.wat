;; A third instance with a table 0 of its own, calling indirect.wat's `call` between two
;; call_indirects of its own table: the table 0 read must follow the instance across the call
;; and the return (test_indirect.cpp).
(module
  (type $unary (func (param i32) (result i32)))
  (import "a" "call" (func $a_call (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) func $plus100 $minus100)
  (func $plus100 (param i32) (result i32) (i32.add (local.get 0) (i32.const 100)))
  (func $minus100 (param i32) (result i32) (i32.sub (local.get 0) (i32.const 100)))
  ;; own[i](x) * 1000000 + a.call(i, x) * 1000 + own[i](x)
  (func (export "mix") (param $i i32) (param $x i32) (result i32)
    (i32.add
      (i32.add
        (i32.mul (call_indirect (type $unary) (local.get $x) (local.get $i)) (i32.const 1000000))
        (i32.mul (call $a_call (local.get $i) (local.get $x)) (i32.const 1000)))
      (call_indirect (type $unary) (local.get $x) (local.get $i)))))
