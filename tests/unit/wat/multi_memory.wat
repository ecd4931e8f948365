;; Multi-memory: two memories of different sizes, every kind of access to memory 1 next to
;; accesses to memory 0 (tests/unit/test_proposals.cpp).
(module
  (memory $m0 (export "mem0") 2)
  (memory $m1 (export "mem1") 1 3)
  (data (memory $m0) (i32.const 0) "\01\00\00\00")
  (data (memory $m1) (i32.const 0) "\10\00\00\00\20\00\00\00")
  (data $passive "\aa\bb\cc\dd")

  ;; The same address in both memories, added: [m0 + a] + [m1 + a].
  (func (export "sum_both") (param $a i32) (result i32)
    (i32.add (i32.load $m0 (local.get $a)) (i32.load $m1 (local.get $a))))
  ;; A load of memory 1 stored to memory 0 (a load and store pair the translator would fuse).
  (func (export "move_1_to_0") (param $from i32) (param $to i32)
    (i32.store $m0 (local.get $to) (i32.load $m1 (local.get $from))))
  (func (export "load0") (param $a i32) (result i32) (i32.load $m0 (local.get $a)))
  (func (export "load1") (param $a i32) (result i32) (i32.load $m1 (local.get $a)))
  (func (export "load1_8u") (param $a i32) (result i32) (i32.load8_u $m1 offset=1 (local.get $a)))
  (func (export "store1") (param $a i32) (param $v i32) (i32.store $m1 (local.get $a) (local.get $v)))
  ;; x + [m1 + a] in a loop: a load under an operator, with its address computed.
  (func (export "sum1") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
                             (i32.load $m1 (i32.add (local.get $i) (i32.const 4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s))
  (func (export "size0") (result i32) (memory.size $m0))
  (func (export "size1") (result i32) (memory.size $m1))
  (func (export "grow1") (param $n i32) (result i32) (memory.grow $m1 (local.get $n)))
  (func (export "fill1") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill $m1 (local.get $d) (local.get $v) (local.get $n)))
  (func (export "copy_0_to_1") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy $m1 $m0 (local.get $d) (local.get $s) (local.get $n)))
  (func (export "init1") (param $d i32)
    (memory.init $m1 $passive (local.get $d) (i32.const 0) (i32.const 4)))
  ;; v128: lane 1 of a load from memory 1, and a store there.
  (func (export "v128_lane1") (param $a i32) (result i32)
    (i32x4.extract_lane 1 (v128.load $m1 (local.get $a))))
  (func (export "v128_store1") (param $a i32) (param $x i32)
    (v128.store $m1 (local.get $a) (i32x4.splat (local.get $x))))
)
