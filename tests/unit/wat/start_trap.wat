;; A module whose start function traps (test_hardening.cpp: a failed instantiation does not
;; count toward max_instances; the spec keeps its objects, so its memory page stays counted).
(module
  (memory 1)
  (func $start unreachable)
  (start $start))
