// What every Rust workload shares (included with `#[path = "bench.rs"] mod bench;`): the
// checksum mixer and the entry points, so each workload file holds only its work.
// Mirrors bench/c/bench.h: `main` reads the size (none: full, "quick", or a number) and prints
// `checksum:` and `time_ns:`; the wasm-interp build exports `bench_checksum` instead.

pub fn mix(h: u64, v: u64) -> u64 {
    let mut h = h ^ v
        .wrapping_add(0x9e3779b97f4a7c15)
        .wrapping_add(h << 6)
        .wrapping_add(h >> 2);
    h = h.wrapping_mul(0xff51afd7ed558ccd);
    h ^ (h >> 32)
}

// bench_main!(run, FULL, QUICK): `run(size) -> u64` is the workload.
macro_rules! bench_main {
    ($run:ident, $full:expr, $quick:expr) => {
        #[cfg_attr(bench_interp, allow(dead_code))]
        fn main() {
            let size = match std::env::args().nth(1).as_deref() {
                None => $full,
                Some("quick") => $quick,
                Some(n) => n.parse().expect("size: a number or 'quick'"),
            };
            let start = std::time::Instant::now();
            let checksum = $run(size);
            println!(
                "checksum: {:016x}\ntime_ns: {}",
                checksum,
                start.elapsed().as_nanos()
            );
        }

        // The wasm-interp build: a cdylib whose one export returns the checksum.
        #[cfg(bench_interp)]
        #[no_mangle]
        pub extern "C" fn bench_checksum() -> u64 {
            $run(if cfg!(bench_quick) { $quick } else { $full })
        }
    };
}
