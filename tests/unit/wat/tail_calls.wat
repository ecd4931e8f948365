;; Tail calls (return_call, return_call_indirect; test_proposals.cpp): loops of them run in
;; constant VM stack, to wasm and host callees, with v128 arguments.
(module
  (import "env" "triple" (func $triple (param i32) (result i32)))
  (type $i2i (func (param i32) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $even_indirect $odd_indirect $triple)

  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (export "odd") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get $n) (i32.const 1))))))

  ;; The same with plain calls: the VM stack grows with n.
  (func $even_deep (export "even_deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (i32.eqz (call $even_deep (i32.sub (local.get $n) (i32.const 1)))))))

  (func $even_indirect (export "even_indirect") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call_indirect (type $i2i)
              (i32.sub (local.get $n) (i32.const 1)) (i32.const 1)))))
  (func $odd_indirect (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call_indirect (type $i2i)
              (i32.sub (local.get $n) (i32.const 1)) (i32.const 0)))))

  ;; To the host, directly and through the table: its result is this function's.
  (func (export "host_direct") (param $x i32) (result i32)
    (return_call $triple (i32.add (local.get $x) (i32.const 1))))
  (func (export "host_indirect") (param $x i32) (result i32)
    (return_call_indirect (type $i2i) (local.get $x) (i32.const 2)))

  ;; Arguments of several kinds and a v128: sum of the lanes of v * k after n tail calls that
  ;; each add 1 to every lane.
  (func $lanes (export "lanes") (param $v v128) (param $k i32) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then
        (i32x4.extract_lane 0 (i32x4.mul (local.get $v) (i32x4.splat (local.get $k))))
        (i32x4.extract_lane 3 (i32x4.mul (local.get $v) (i32x4.splat (local.get $k))))
        (i32.add))
      (else (return_call $lanes (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1))
                                (local.get $k) (i32.sub (local.get $n) (i32.const 1)))))))
