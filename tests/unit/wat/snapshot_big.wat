;; For tests/unit/test_snapshot.cpp: a memory large enough (3 MiB, 768 pages of 4 KiB) that a
;; capture after every page was written copies whole 2 MiB blocks, and a guest that writes
;; every 4 KiB page of it.
(module
  (memory (export "memory") 48 64)
  ;; Adds the seed to a word of every 4 KiB page (the word moves with the seed).
  (func (export "write_every_page") (param $seed i32)
    (local $a i32)
    (local.set $a (i32.and (i32.mul (local.get $seed) (i32.const 8)) (i32.const 4088)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (i32.mul (memory.size) (i32.const 65536))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (local.get $seed)))
        (local.set $a (i32.add (local.get $a) (i32.const 4096)))
        (br $next)))))
