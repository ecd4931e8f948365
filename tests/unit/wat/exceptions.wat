;; Exception handling (the legacy try/catch proposal): what the host sees of exceptions.
(module $exceptions
  (import "env" "call_back" (func $call_back (param i32) (result i32)))
  (tag $boom (export "boom") (param i32))
  (tag $other)

  (func $thrower (export "thrower") (param i32)
    (throw $boom (local.get 0)))

  ;; Calls the thrower through one more frame.
  (func $middle (param i32)
    (call $thrower (local.get 0)))

  ;; Catches the exception its callee's callee throws: the value comes back.
  (func (export "catch_it") (param i32) (result i32)
    (try (result i32)
      (do (call $middle (local.get 0)) (i32.const -1))
      (catch $boom (i32.add (i32.const 1)))))

  ;; Uncaught: out to the host.
  (func (export "uncaught") (param i32)
    (call $middle (local.get 0)))

  ;; The host function calls `thrower` back; its exception stops at the host.
  (func (export "through_host") (param i32) (result i32)
    (try (result i32)
      (do (call $call_back (local.get 0)))
      (catch_all (i32.const -2))))

  ;; Throws and catches n times in a loop: the caught exceptions do not pile up.
  (func (export "loop") (param i32) (result i32) (local i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 0)))
        (try
          (do (call $thrower (local.get 0)))
          (catch $boom (local.set 1 (i32.add (local.get 1)))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))

  ;; A catch that rethrows what it caught, caught again by the caller's try.
  (func $rethrower (param i32)
    (try (do (call $thrower (local.get 0)))
      (catch_all (rethrow 0))))
  (func (export "rethrown") (param i32) (result i32)
    (try (result i32)
      (do (call $rethrower (local.get 0)) (i32.const 0))
      (catch $boom)
      (catch $other (i32.const -3)))))
