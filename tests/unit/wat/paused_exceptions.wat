;; Calls paused in the debugger inside a try and inside a catch (test_snapshot.cpp): a snapshot
;; taken there must resume to the same result. The breakpoints are at the i32.const markers.
(module $paused_exceptions
  (tag $boom (param i32))
  (memory 1)

  (func $thrower (param i32)
    (throw $boom (local.get 0)))

  ;; Paused inside the try (marker 30002), before the call that throws: the catch must still
  ;; take the exception after the resume.
  (func $in_try (param i32) (result i32)
    (try (result i32)
      (do (drop (i32.const 30002)) (call $thrower (local.get 0)) (i32.const -1))
      (catch $boom (i32.add (i32.const 100)))))
  (func (export "paused_in_try") (param i32) (result i32)
    (i32.add (call $in_try (local.get 0)) (i32.const 1)))

  ;; Paused inside the catch (marker 30003), before it rethrows what it took: the caller's
  ;; catch gets the same exception, with its value.
  (func $in_catch (param i32)
    (try (do (call $thrower (local.get 0)))
      (catch $boom
        (drop)
        (drop (i32.const 30003))
        (rethrow 0))))
  (func (export "paused_in_catch") (param i32) (result i32)
    (try (result i32)
      (do (call $in_catch (local.get 0)) (i32.const -1))
      (catch $boom (i32.add (i32.const 1000)))))
)
