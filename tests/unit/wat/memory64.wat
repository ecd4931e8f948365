;; memory64: a 64-bit memory, as the host sees it (tests/unit/test_proposals.cpp).
(module
  (memory (export "mem") i64 1 100000)
  (data (i64.const 8) "\2a\00\00\00")
  (func (export "load") (param $a i64) (result i32) (i32.load (local.get $a)))
  (func (export "load_offset") (param $a i64) (result i32) (i32.load offset=8 (local.get $a)))
  (func (export "store") (param $a i64) (param $v i32) (i32.store (local.get $a) (local.get $v)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param $n i64) (result i64) (memory.grow (local.get $n)))
  (func (export "fill") (param $d i64) (param $v i32) (param $n i64)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  ;; v128 through a 64-bit address: lane 1 of the four i32s at a.
  (func (export "v128_lane1") (param $a i64) (result i32)
    (i32x4.extract_lane 1 (v128.load (local.get $a))))
  ;; x + [a] in a loop: a load under an operator, its address an i64 sum.
  (func (export "sum") (param $n i64) (result i32) (local $i i64) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 4)))
      (br_if $l (i64.lt_u (local.get $i) (local.get $n))))
    (local.get $s)))
