;; The small module glint-bench instantiates 1,000s of times and calls host functions from:
;; one page of memory with a data segment, a table with an element segment, a mutable global,
;; one import (bench.host_step, x -> 3x + 1) and loops that call it or do the same work inline.
(module
  (import "bench" "host_step" (func $host_step (param i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $call_loop $inline_loop)
  (global $calls (mut i32) (i32.const 0))
  (data (i32.const 16) "glint-bench small module")

  ;; acc = host_step(acc ^ i) for i in [0, n): the hostcall workload's loop.
  (func $call_loop (export "call_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $host_step (i32.xor (local.get $acc) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (global.set $calls (i32.add (global.get $calls) (local.get $n)))
    (local.get $acc))

  ;; The same loop with host_step done inline: its time is the loop's share of call_loop.
  (func $inline_loop (export "inline_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (i32.mul (i32.xor (local.get $acc) (local.get $i)) (i32.const 3))
                                 (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
