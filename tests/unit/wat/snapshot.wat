;; For tests/unit/test_snapshot.cpp: state of every kind a snapshot keeps (memory that grows,
;; a mutable global, a table that code changes, passive segments that code drops) and a
;; recursive function to pause in the debugger.
(module
  (type $ret_i32 (func (result i32)))
  (memory (export "memory") 1 16)
  (global $steps (export "steps") (mut i32) (i32.const 0))
  (table $t 4 8 funcref)
  (elem (table $t) (i32.const 0) func $one $two)
  (elem $later func $three)
  (data $greeting "hello, snapshot")
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func $three (result i32) i32.const 3)
  ;; One step of "gameplay": writes a few bytes spread over the memory, counts the steps.
  (func (export "step") (param $seed i32)
    (local $i i32) (local $a i32)
    (global.set $steps (i32.add (global.get $steps) (i32.const 1)))
    (loop $next
      (local.set $a (i32.rem_u
        (i32.mul (i32.add (local.get $seed) (local.get $i)) (i32.const 40503))
        (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
      (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (local.get $seed)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 8)))))
  (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
  (func (export "load") (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "call_slot") (param $i i32) (result i32)
    (call_indirect $t (type $ret_i32) (local.get $i)))
  ;; Puts $three in slot 2 (from the passive segment, then drops it) and the greeting at 64.
  (func (export "setup")
    (table.init $t $later (i32.const 2) (i32.const 0) (i32.const 1))
    (elem.drop $later)
    (memory.init $greeting (i32.const 64) (i32.const 0) (i32.const 15))
    (data.drop $greeting))
  ;; Fails (traps) once the segment is dropped: shows whether a restore brought it back.
  (func (export "init_again")
    (memory.init $greeting (i32.const 128) (i32.const 0) (i32.const 15)))
  ;; sum(n) = n + sum(n - 1), writing each level's n at 256 + 4n.
  (func $sum (export "sum") (param $n i32) (result i32)
    (i32.store (i32.add (i32.const 256) (i32.shl (local.get $n) (i32.const 2))) (local.get $n))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 30001) (drop) (i32.const 0))  ;; marker: the breakpoint at the bottom
      (else (i32.add (local.get $n) (call $sum (i32.sub (local.get $n) (i32.const 1))))))))
