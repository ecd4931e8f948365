;; Byte and half loads as the second operand of operators that have no memory-operand form
;; (test_hardening.cpp): they once became a Halt instruction (found by tests/fuzz/diff.py).
(module
  (memory 1)
  (data (i32.const 0) "\03\00\07\00")
  (func (export "shl8") (param i32 i32) (result i32)
    (i32.shl (local.get 0) (i32.load8_u (local.get 1))))
  (func (export "div16") (param i32 i32) (result i32)
    (i32.div_u (local.get 0) (i32.load16_s (local.get 1))))
  (func (export "rem8") (param i32 i32) (result i32)
    (i32.rem_s (local.get 0) (i32.load8_s (local.get 1))))
  (func (export "rotl16") (param i32 i32) (result i32)
    (i32.rotl (local.get 0) (i32.load16_u (local.get 1)))))
