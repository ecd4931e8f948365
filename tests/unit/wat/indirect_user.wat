;; A second instance whose table 0 is indirect.wat's table: it grows it and sets an element,
;; and calls through it (see test_runtime.cpp, "call_indirect ... another instance").
(module
  (type $unary (func (param i32) (result i32)))
  (import "a" "table" (table $t 4 funcref))
  (func $negate (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (table $refs 1 funcref)  ;; for table.get: wabt types ref.func (ref $f), not funcref
  (elem (table $refs) (i32.const 0) func $negate)
  ;; grows the shared table by n (elements $negate: the vector moves), sets element i to
  ;; $negate, then calls table[i](x)
  (func (export "grow_set_call") (param $n i32) (param $i i32) (param $x i32) (result i32)
    (drop (table.grow $t (table.get $refs (i32.const 0)) (local.get $n)))
    (table.set $t (local.get $i) (table.get $refs (i32.const 0)))
    (call_indirect $t (type $unary) (local.get $x) (local.get $i))))
