// Rust workload written for SIMD (issue 18): a game audio mixer. 24 voices play looped 16-bit
// samples into a stereo bus, each with its own left and right gain (Q15) that pans a little every
// block of 256 frames; the bus is scaled back to 16 bits with saturation, through a master volume
// (a rounding Q15 multiply), and metered (peak and energy per block). Built with
// `-C target-feature=+simd128` it runs the core::arch::wasm32 path (extended multiplies, saturating
// narrows, q15mulr); without it, and natively, the scalar path, which computes the same integers.
// The size argument is the number of blocks.
#[macro_use]
#[path = "bench.rs"]
mod bench;
use bench::mix;

const VOICES: usize = 24;
const BLOCK: usize = 256;
const SAMPLE_LEN: usize = 8192; // a multiple of BLOCK: a block never wraps inside a sample
const SAMPLES: usize = 6;
const MASTER: i16 = 0x7000;

struct Voice {
    sample: usize,
    pos: usize,
    gain_l: i16,
    gain_r: i16,
    pan_step: i16,
}

// Samples of at most +-8192 and gains of at most 0x2000 keep 24 voices' sum inside an i32.
fn make_samples() -> Vec<Vec<i16>> {
    let mut seed: u32 = 12345;
    (0..SAMPLES)
        .map(|k| {
            (0..SAMPLE_LEN)
                .map(|i| {
                    let i = i as i32;
                    let period = 64 + 37 * k as i32;
                    let phase = i % period;
                    match k % 3 {
                        0 => (phase * 16384 / period - 8192) as i16, // saw
                        1 => {
                            if phase < period / 2 { 6000 } else { -6000 } // square
                        }
                        _ => {
                            seed ^= seed << 13; // noise
                            seed ^= seed >> 17;
                            seed ^= seed << 5;
                            ((seed % 16385) as i32 - 8192) as i16
                        }
                    }
                })
                .collect()
        })
        .collect()
}

// The bus of one block, and what it reports.
pub struct Bus {
    pub left: [i32; BLOCK],
    pub right: [i32; BLOCK],
    pub out: [i16; 2 * BLOCK], // left block then right block
}

#[cfg(target_feature = "simd128")]
mod kernel {
    use super::{Bus, BLOCK};
    use core::arch::wasm32::*;

    pub fn add_voice(bus: &mut Bus, src: &[i16], gain_l: i16, gain_r: i16) {
        assert!(src.len() >= BLOCK);
        let (gl, gr) = (i16x8_splat(gain_l), i16x8_splat(gain_r));
        for i in (0..BLOCK).step_by(8) {
            // Safety: src holds BLOCK samples and the buses BLOCK lanes (checked above and by
            // their types); wasm loads and stores need no alignment.
            unsafe {
                let s = v128_load(src.as_ptr().add(i) as *const v128);
                for (acc, g) in [(bus.left.as_mut_ptr(), gl), (bus.right.as_mut_ptr(), gr)] {
                    let lo = acc.add(i) as *mut v128;
                    let hi = acc.add(i + 4) as *mut v128;
                    v128_store(lo, i32x4_add(v128_load(lo), i32x4_extmul_low_i16x8(s, g)));
                    v128_store(hi, i32x4_add(v128_load(hi), i32x4_extmul_high_i16x8(s, g)));
                }
            }
        }
    }

    // Scales the bus to 16 bits into bus.out; returns (energy, peak max, peak min).
    pub fn finish(bus: &mut Bus, master: i16) -> (i32, i16, i16) {
        let (round, m) = (i32x4_splat(0x4000), i16x8_splat(master));
        let (mut energy, mut hi, mut lo) = (i32x4_splat(0), i16x8_splat(i16::MIN), i16x8_splat(i16::MAX));
        for (c, acc) in [bus.left.as_ptr(), bus.right.as_ptr()].into_iter().enumerate() {
            for i in (0..BLOCK).step_by(8) {
                // Safety: as in add_voice; out holds 2 * BLOCK samples.
                unsafe {
                    let a = i32x4_shr(i32x4_add(v128_load(acc.add(i) as *const v128), round), 15);
                    let b = i32x4_shr(i32x4_add(v128_load(acc.add(i + 4) as *const v128), round), 15);
                    let o = i16x8_q15mulr_sat(i16x8_narrow_i32x4(a, b), m);
                    v128_store(bus.out.as_mut_ptr().add(c * BLOCK + i) as *mut v128, o);
                    energy = i32x4_add(energy, i32x4_extend_low_i16x8(o));
                    energy = i32x4_add(energy, i32x4_extend_high_i16x8(o));
                    hi = i16x8_max(hi, o);
                    lo = i16x8_min(lo, o);
                }
            }
        }
        let e = i32x4_extract_lane::<0>(energy)
            .wrapping_add(i32x4_extract_lane::<1>(energy))
            .wrapping_add(i32x4_extract_lane::<2>(energy))
            .wrapping_add(i32x4_extract_lane::<3>(energy));
        let mut lanes_hi = [0i16; 8];
        let mut lanes_lo = [0i16; 8];
        // Safety: 16-byte arrays.
        unsafe {
            v128_store(lanes_hi.as_mut_ptr() as *mut v128, hi);
            v128_store(lanes_lo.as_mut_ptr() as *mut v128, lo);
        }
        (e, *lanes_hi.iter().max().unwrap(), *lanes_lo.iter().min().unwrap())
    }
}

#[cfg(not(target_feature = "simd128"))]
mod kernel {
    use super::{Bus, BLOCK};

    pub fn add_voice(bus: &mut Bus, src: &[i16], gain_l: i16, gain_r: i16) {
        let src = &src[..BLOCK];
        for i in 0..BLOCK {
            let s = src[i] as i32;
            bus.left[i] = bus.left[i].wrapping_add(s * gain_l as i32);
            bus.right[i] = bus.right[i].wrapping_add(s * gain_r as i32);
        }
    }

    fn saturate(x: i32) -> i16 {
        x.clamp(i16::MIN as i32, i16::MAX as i32) as i16
    }

    pub fn finish(bus: &mut Bus, master: i16) -> (i32, i16, i16) {
        let (mut energy, mut hi, mut lo) = (0i32, i16::MIN, i16::MAX);
        for (c, acc) in [&bus.left, &bus.right].into_iter().enumerate() {
            for i in 0..BLOCK {
                let x = saturate(acc[i].wrapping_add(0x4000) >> 15) as i32;
                let o = saturate((x * master as i32 + 0x4000) >> 15);
                bus.out[c * BLOCK + i] = o;
                energy = energy.wrapping_add(o as i32);
                hi = hi.max(o);
                lo = lo.min(o);
            }
        }
        (energy, hi, lo)
    }
}

fn run(blocks: u32) -> u64 {
    let samples = make_samples();
    let mut voices: Vec<Voice> = (0..VOICES)
        .map(|v| Voice {
            sample: v % SAMPLES,
            pos: (v * 7 % (SAMPLE_LEN / BLOCK)) * BLOCK,
            gain_l: (0x400 + 0x100 * v) as i16,
            gain_r: (0x1C00 - 0x100 * v) as i16,
            pan_step: if v % 2 == 0 { 16 } else { -16 },
        })
        .collect();
    let mut bus = Bus { left: [0; BLOCK], right: [0; BLOCK], out: [0; 2 * BLOCK] };
    let mut h = 0u64;
    for _ in 0..blocks {
        bus.left = [0; BLOCK];
        bus.right = [0; BLOCK];
        for v in voices.iter_mut() {
            kernel::add_voice(&mut bus, &samples[v.sample][v.pos..], v.gain_l, v.gain_r);
            v.pos = (v.pos + BLOCK) % SAMPLE_LEN;
            // Pan: move gain from one side to the other, turning at the ends.
            if v.gain_l + v.pan_step < 0x100 || v.gain_r - v.pan_step < 0x100 {
                v.pan_step = -v.pan_step;
            }
            v.gain_l += v.pan_step;
            v.gain_r -= v.pan_step;
        }
        let (energy, hi, lo) = kernel::finish(&mut bus, MASTER);
        h = mix(h, (energy as u32 as u64) << 32 | (hi as u16 as u64) << 16 | lo as u16 as u64);
        h = mix(h, bus.out[(h % (2 * BLOCK) as u64) as usize] as u16 as u64);
    }
    h
}

bench_main!(run, 8000, 20);
