// Rust workload: a particle system with forces as trait objects (dynamic dispatch through
// vtables, call_indirect in wasm), Vec<struct> iteration, closures and f64 math, plus a sort by
// position every few steps. The size argument is the number of steps.
#[macro_use]
#[path = "bench.rs"]
mod bench;
use bench::mix;

#[derive(Clone, Copy)]
struct Particle {
    x: f64,
    y: f64,
    vx: f64,
    vy: f64,
    mass: f64,
}

trait Force {
    fn apply(&self, p: &mut Particle, dt: f64);
}

struct Gravity(f64);
struct Drag(f64);
struct Spring {
    cx: f64,
    cy: f64,
    k: f64,
}
struct Vortex {
    cx: f64,
    cy: f64,
    strength: f64,
}

impl Force for Gravity {
    fn apply(&self, p: &mut Particle, dt: f64) {
        p.vy -= self.0 * dt;
    }
}
impl Force for Drag {
    fn apply(&self, p: &mut Particle, dt: f64) {
        let f = 1.0 - self.0 * dt / p.mass;
        p.vx *= f;
        p.vy *= f;
    }
}
impl Force for Spring {
    fn apply(&self, p: &mut Particle, dt: f64) {
        p.vx += (self.cx - p.x) * self.k * dt / p.mass;
        p.vy += (self.cy - p.y) * self.k * dt / p.mass;
    }
}
impl Force for Vortex {
    fn apply(&self, p: &mut Particle, dt: f64) {
        let (dx, dy) = (p.x - self.cx, p.y - self.cy);
        let d = (dx * dx + dy * dy + 1.0).sqrt();
        p.vx += -dy / d * self.strength * dt;
        p.vy += dx / d * self.strength * dt;
    }
}


const FULL: usize = 500;
const QUICK: usize = 2;

fn run(steps: usize) -> u64 {
    let mut seed = 0x9a27u32;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 10000) as f64 / 10000.0
    };
    let mut particles: Vec<Particle> = (0..4000)
        .map(|_| Particle {
            x: rand() * 100.0,
            y: rand() * 100.0,
            vx: rand() - 0.5,
            vy: rand() - 0.5,
            mass: 0.5 + rand(),
        })
        .collect();
    let forces: Vec<Box<dyn Force>> = vec![
        Box::new(Gravity(9.81)),
        Box::new(Drag(0.05)),
        Box::new(Spring {
            cx: 50.0,
            cy: 50.0,
            k: 0.3,
        }),
        Box::new(Vortex {
            cx: 30.0,
            cy: 60.0,
            strength: 4.0,
        }),
        Box::new(Vortex {
            cx: 70.0,
            cy: 40.0,
            strength: -3.0,
        }),
    ];

    let mut sum = 0u64;
    let dt = 0.01;
    for step in 0..steps {
        for p in particles.iter_mut() {
            for f in &forces {
                f.apply(p, dt);
            }
            p.x += p.vx * dt;
            p.y += p.vy * dt;
            if p.y < 0.0 {
                p.y = -p.y;
                p.vy = -p.vy * 0.8;
            }
        }
        if step % 50 == 0 {
            particles.sort_by(|a, b| a.x.partial_cmp(&b.x).unwrap());
            let energy: f64 = particles
                .iter()
                .map(|p| 0.5 * p.mass * (p.vx * p.vx + p.vy * p.vy))
                .sum();
            sum = mix(sum, energy.to_bits());
        }
    }
    for p in particles.iter().step_by(97) {
        sum = mix(sum, p.x.to_bits() ^ p.vy.to_bits());
    }
    sum
}

bench_main!(run, FULL, QUICK);
