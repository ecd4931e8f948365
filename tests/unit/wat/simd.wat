;; v128 values everywhere a value can be (test_simd.cpp): parameters and results mixed with
;; scalars, locals between scalar ones, globals, select, block parameters and results,
;; branches and br_table carrying them, direct, indirect and host calls, and the lazy
;; constants and fused loads and stores of the translator.
(module
  (import "env" "scale" (func $scale (param v128 f32) (result v128)))
  (memory (export "memory") 1)
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k v128 (v128.const f32x4 0.5 0.5 0.5 0.5))
  (table 2 funcref)
  (elem (i32.const 0) $swap_halves $add4)

  ;; (i32, v128, f64, v128) -> (v128, i64, v128): the first v128 plus the i32 in every lane,
  ;; the f64 truncated, the second v128 unchanged.
  (func (export "mixed") (param $n i32) (param $a v128) (param $d f64) (param $b v128)
        (result v128 i64 v128)
    (i32x4.add (local.get $a) (i32x4.splat (local.get $n)))
    (i64.trunc_f64_s (local.get $d))
    (local.get $b))

  ;; Locals between scalar ones: each keeps its value while the others change.
  (func (export "locals") (param $x i32) (result i32 v128 i64 v128)
    (local $a i32) (local $v v128) (local $b i64) (local $w v128)
    (local.set $v (i32x4.splat (local.get $x)))
    (local.set $a (i32.add (local.get $x) (i32.const 1)))
    (local.set $w (local.tee $v (i32x4.mul (local.get $v) (v128.const i32x4 1 2 3 4))))
    (local.set $b (i64.extend_i32_s (local.get $a)))
    (local.set $v (i32x4.add (local.get $v) (local.get $v)))
    (local.get $a) (local.get $v) (local.get $b) (local.get $w))

  (func (export "get_g") (result v128) (global.get $g))
  (func (export "bump_g")
    (global.set $g (i32x4.add (global.get $g) (global.get $g))))
  (func (export "get_k") (result v128) (global.get $k))

  (func (export "pick") (param $c i32) (param $a v128) (param $b v128) (result v128 v128)
    (select (local.get $a) (local.get $b) (local.get $c))
    (select (result v128) (v128.const i64x2 7 7) (local.get $b) (local.get $c)))

;; Blocks that take a v128 and give two; br_table, br and br_if carry them:
  ;; i = 0: (v + 1, 100); i = 1: (v << 1, 200); otherwise (v, 7).
  (type $vv (func (param v128) (result v128 v128)))
  (func (export "branches") (param $v v128) (param $i i32) (result v128 v128)
    (local.get $v)
    (block $out (type $vv)
      (block $two (type $vv)
        (block $one (type $vv)
          (v128.const i32x4 7 7 7 7)
          (br_table $one $two $out (local.get $i)))
        ;; $one: (v, 7) -> (v + 1, 100)
        (drop)
        (i32x4.add (v128.const i32x4 1 1 1 1))
        (v128.const i32x4 100 100 100 100)
        (br $out))
      ;; $two: (v, 7) -> (v << 1, 200), i is 1
      (drop)
      (i32x4.shl (i32.const 1))
      (v128.const i32x4 200 200 200 200)
      (br_if $out (i32.eq (local.get $i) (i32.const 1)))
      (drop)
      (v128.const i32x4 300 300 300 300)))

  ;; A loop with a v128 accumulator: the sum of i * (1, 2, 3, 4) for i < n.
  (func (export "loop_sum") (param $n i32) (result v128)
    (local $i i32) (local $acc v128)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (i32x4.add (local.get $acc)
                     (i32x4.mul (i32x4.splat (local.get $i)) (v128.const i32x4 1 2 3 4))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $acc))

  (func $swap_halves (param $v v128) (param $x i32) (result v128)
    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
  (func $add4 (param $v v128) (param $x i32) (result v128)
    (i32x4.add (local.get $v) (i32x4.splat (local.get $x))))

  ;; Calls with v128 arguments of every kind: a constant, a local, a computed value; one
  ;; through the table; one to the host (env.scale multiplies i32 lanes by the f32, truncated).
  ;; (v + 2 + (11, 21, 31, 41), then swap_halves (which = 0) or + 5 (which = 1)) * 2
  (func (export "calls") (param $v v128) (param $which i32) (result v128)
    (call $add4 (v128.const i32x4 10 20 30 40) (i32.const 1))
    (call $add4 (local.get $v) (i32.const 2))
    (i32x4.add)
    (call_indirect (param v128 i32) (result v128) (i32.const 5) (local.get $which))
    (call $scale (f32.const 2)))
  (func (export "scale_twice") (param $v v128) (result v128)
    (call $scale (call $scale (local.get $v) (f32.const 3)) (f32.const 0.5)))

  ;; Memory: a store and loads at constant offsets from a base (the _add forms), lanes.
  (func (export "memory_ops") (param $p i32) (result v128 i32 f32)
    (v128.store offset=16 (local.get $p) (v128.const f32x4 1.5 -2 3 4))
    (i32.store offset=40 (local.get $p) (i32.const 77))
    (v128.load offset=16 (local.get $p))
    (f32x4.add (v128.load32_splat offset=40 (local.get $p)))
    (v128.load8_lane offset=40 3 (local.get $p) (v128.const i32x4 0 0 0 0))
    (i32x4.extract_lane 0)
    (f32x4.extract_lane 1 (v128.load offset=16 (local.get $p))))
  (func (export "load_at") (param $p i32) (result v128) (v128.load offset=8 (local.get $p)))

  ;; Constant folding: a splat of a constant and a lane of a constant need no code.
  (func (export "constants") (result v128 i32 f32)
    (f32x4.splat (f32.const 2.5))
    (i8x16.extract_lane_s 15 (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -3))
    (f32x4.extract_lane 2 (v128.const f32x4 1 2 3.25 4)))

  ;; For the debugger: a v128 local and a v128 on the operand stack at the marker.
  (func (export "debug_me") (param $v v128) (result v128)
    (local $w v128)
    (local.set $w (f32x4.mul (local.get $v) (v128.const f32x4 2 2 2 2)))
    (local.get $w)
    (i32.const 30001)  ;; marker
    (drop)
    (f32x4.add (local.get $v))))
