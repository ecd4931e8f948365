;; A module without imports, so `glint run --invoke` can instantiate it.
(module $plain
  (func (export "add_i32") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "mul_i64") (param i64 i64) (result i64)
    (i64.mul (local.get 0) (local.get 1)))
  (func (export "div_f32") (param f32 f32) (result f32)
    (f32.div (local.get 0) (local.get 1)))
  (func (export "sqrt_f64") (param f64) (result f64)
    (f64.sqrt (local.get 0)))
  (func (export "split") (param i64) (result i32 i32 f64)
    (i32.wrap_i64 (local.get 0))
    (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32)))
    (f64.convert_i64_s (local.get 0)))
  (func $spin (export "spin") (loop $forever (br $forever)))
  (func $crash (export "crash") (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  ;; For --break: a loop that calls a small function.
  (func $triple (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 3)))
  (func $sum_triples (export "sum_triples") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $triple (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
