;; call_indirect while its table changes under it: table.grow (which moves the elements),
;; table.set, a host function that grows and sets the table, another instance sharing the
;; table, and snapshots (test_indirect.cpp).
(module
  (import "env" "mutate" (func $mutate (param i32)))
  (type $unary (func (param i32) (result i32)))
  (table $t (export "table") 4 funcref)
  (table $other 2 funcref)
  (elem (table $t) (i32.const 0) func $plus1 $times2 $plus1 $times2)
  (elem (table $other) (i32.const 0) func $times2 $plus1)
  ;; ref.func would do instead of table.get from here, but wabt types it (ref $f), not funcref
  (table $refs 3 funcref)
  (elem (table $refs) (i32.const 0) func $square $minus3 $nothing)

  (func $plus1 (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $times2 (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $minus3 (param i32) (result i32) (i32.sub (local.get 0) (i32.const 3)))
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $nothing)

  ;; table[i](x)
  (func (export "call") (param $i i32) (param $x i32) (result i32)
    (call_indirect $t (type $unary) (local.get $x) (local.get $i)))
  ;; other[i](x): a second table in the same function as table 0's calls
  (func (export "call_other") (param $i i32) (param $x i32) (result i32)
    (i32.add
      (call_indirect $other (type $unary) (local.get $x) (local.get $i))
      (call_indirect $t (type $unary) (local.get $x) (local.get $i))))
  ;; table[i](x), then table.grow by n (elements $square: the vector moves), then table[j](x),
  ;; all in one activation; the sum of both calls and the old size * 1000.
  (func (export "call_grow_call") (param $i i32) (param $n i32) (param $j i32) (param $x i32)
    (result i32)
    (local $sum i32)
    (local.set $sum (call_indirect $t (type $unary) (local.get $x) (local.get $i)))
    (local.set $sum (i32.add (local.get $sum)
      (i32.mul (table.grow $t (table.get $refs (i32.const 0)) (local.get $n)) (i32.const 1000))))
    (i32.add (local.get $sum) (call_indirect $t (type $unary) (local.get $x) (local.get $j))))
  ;; table.set of element i to $minus3 between two calls of it, in one activation
  (func (export "call_set_call") (param $i i32) (param $x i32) (result i32)
    (local $first i32)
    (local.set $first (call_indirect $t (type $unary) (local.get $x) (local.get $i)))
    (table.set $t (local.get $i) (table.get $refs (i32.const 1)))
    (i32.add (i32.mul (local.get $first) (i32.const 1000))
             (call_indirect $t (type $unary) (local.get $x) (local.get $i))))
  ;; the host's env.mutate(i) between two calls of table[i]
  (func (export "call_mutate_call") (param $i i32) (param $x i32) (result i32)
    (local $first i32)
    (local.set $first (call_indirect $t (type $unary) (local.get $x) (local.get $i)))
    (call $mutate (local.get $i))
    (i32.add (i32.mul (local.get $first) (i32.const 1000))
             (call_indirect $t (type $unary) (local.get $x) (local.get $i))))
  ;; a loop of n calls of table[i] (for a snapshot between calls and a trap inside)
  (func (export "call_n") (param $i i32) (param $x i32) (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc)
          (call_indirect $t (type $unary) (local.get $x) (local.get $i))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "size") (result i32) (table.size $t))
  (func (export "set_nothing") (param $i i32) (table.set $t (local.get $i) (table.get $refs (i32.const 2))))
  (func (export "set_null") (param $i i32) (table.set $t (local.get $i) (ref.null func))))
