;; A module with SIMD code behind an i32 signature, for `glint run --invoke` (and its refusal
;; on a CPU without SSE4.1, which GLINT_CPU=baseline pretends).
(module
  ;; x * 1 + x * 2 + x * 3 + x * 4 = 10x
  (func (export "ten_times") (param $x i32) (result i32)
    (local $v v128)
    (local.set $v (i32x4.mul (i32x4.splat (local.get $x)) (v128.const i32x4 1 2 3 4)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))))
