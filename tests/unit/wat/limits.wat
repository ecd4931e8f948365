;; Resource limits and runaway scripts (test_hardening.cpp): a memory of 2 pages, a table of 3
;; elements, a function with 8 locals, growth, recursion and endless loops.
(module
  (import "env" "call_back" (func $call_back))
  (memory (export "memory") 2)
  (table $t (export "table") 3 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "table_grow") (param i32) (result i32)
    (table.grow $t (ref.null func) (local.get 0)))
  (func (export "many_locals") (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 7 (i32.const 7))
    (local.get 7))
  ;; Deep recursion with a big frame: exhausts a small VM stack before the call depth.
  (func $recurse (export "recurse") (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $recurse (i32.sub (local.get 0) (i32.const 1)))))))
  (func $spin (export "spin") (loop (br 0)))
  ;; Spins 100 calls deep, with a memory write on the way down.
  (func $spin_deep (export "spin_deep") (param i32)
    (i32.store (i32.const 0) (local.get 0))
    (if (local.get 0)
      (then (call $spin_deep (i32.sub (local.get 0) (i32.const 1))))
      (else (call $spin))))
  ;; Into the host, which calls spin back.
  (func (export "spin_through_host") (call $call_back)))
