// Rust std formatting and parsing of floats (Rust's own shortest-round-trip algorithm, not
// libc's), over edge values and many format specs.
fn main() {
    let values: [f64; 16] = [
        0.0, -0.0, 1.0, 0.1, 1.0 / 3.0, std::f64::consts::PI, -2.5, 1e300, 1e-300,
        f64::MAX, f64::MIN_POSITIVE, 5e-324, f64::INFINITY, f64::NEG_INFINITY, f64::NAN,
        123456.789,
    ];
    for v in values {
        println!(
            "{} | {:?} | {:.3} | {:e} | {:E} | {:12.4} | {:<12.2}| {:+} | {:.0} | {:>10} | bits {:016x}",
            v, v, v, v, v, v, v, v, v, v, v.to_bits()
        );
    }
    let singles: [f32; 6] = [0.1, f32::MAX, f32::MIN_POSITIVE, 1e-45, 16777217.0, -3.75];
    for v in singles {
        println!("f32 {} {:?} {:e} {:.10} bits {:08x}", v, v, v, v, v.to_bits());
    }
    for s in ["0.1", "1e-320", "2.2250738585072011e-308", "inf", "-nan", "1.00000000000000011", "x"] {
        match s.parse::<f64>() {
            Ok(v) => println!("parse {:>26} -> {:?} ({:016x})", s, v, v.to_bits()),
            Err(e) => println!("parse {:>26} -> error: {}", s, e),
        }
    }
    let xs = [0.5f64, 2.0, 10.0, 1e-5, 123.456];
    for x in xs {
        println!(
            "math {}: sqrt {:?} exp {:?} ln {:?} sin {:?} powf {:?}",
            x, x.sqrt(), x.exp(), x.ln(), x.sin(), x.powf(1.5)
        );
    }
}
