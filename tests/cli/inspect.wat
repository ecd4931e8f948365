;; For `glint inspect`: one import and one export of each kind, data, and a name section.
(module $inspected
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "env" "table" (table 2 funcref))
  (import "env" "memory" (memory 1 4))
  (import "env" "base" (global $base (mut i64)))
  (func $double (export "double") (param f64) (result f64)
    (f64.add (local.get 0) (local.get 0)))
  (export "tbl" (table 0))
  (export "mem" (memory 0))
  (global $count (export "count") (mut i32) (i32.const 0))
  (data (i32.const 16) "inspected"))
