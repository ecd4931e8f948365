// The enemies module (Rust): every enemy, its behaviour and its bullets.
//
//   chaser   runs straight at the player, shoving its neighbours aside
//   shooter  keeps its distance, circles the player and fires aimed shots (it blinks first)
//   swarmer  small and fast; flocks with nearby swarmers and weaves toward the player
//   brute    slow and tough, barely pushed by hits; bursts into four swarmers when it dies
//
// It talks to the arena module (C) only through host messages; the protocol is in protocol.h,
// mirrored here. Enemies find their neighbours through a uniform grid, so a thousand of them
// stay well inside the frame budget.
use glint_api::*;

// ---- protocol.h, mirrored ----
const MSG_WORLD: i32 = 1;
const MSG_SPAWN: i32 = 2;
const MSG_RESET: i32 = 3;
const MSG_HITS: i32 = 10;
const MSG_KILLED: i32 = 11;
const MSG_PLAYER_HIT: i32 = 12;
const WORLD_SIZE: usize = 24;
const BULLET_SIZE: usize = 28;
const SPAWN_SIZE: usize = 12;

// ---- The field and the atlas (arena.h, make_assets.py) ----
const FIELD_X0: f32 = 16.0;
const FIELD_Y0: f32 = 48.0;
const FIELD_X1: f32 = 944.0;
const FIELD_Y1: f32 = 524.0;
const CELL: f32 = 32.0;
const GRID_W: usize = 31;
const GRID_H: usize = 18;
const FR_ENEMY_BULLET: i32 = 11;
const LAYER_ENEMIES: i32 = 3;
const LAYER_ENEMY_SHOTS: i32 = 6;
const PLAYER_RADIUS: f32 = 10.0;
const MAX_NEIGHBOURS: u32 = 8;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Chaser = 0,
    Shooter = 1,
    Swarmer = 2,
    Brute = 3,
}

struct Spec {
    speed: f32,
    accel: f32,
    radius: f32,
    hp: i32,
    points: i32,
    frame: i32, // first of two animation frames
    scale: f32,
    knockback: f32, // how far a hit pushes it (px/s per hit)
}

// Indexed by Kind. A static: one table in memory (a const is inlined at every use).
static SPECS: [Spec; 4] = [
    // chaser
    Spec {
        speed: 105.0,
        accel: 5.0,
        radius: 13.0,
        hp: 2,
        points: 100,
        frame: 2,
        scale: 2.0,
        knockback: 160.0,
    },
    // shooter
    Spec {
        speed: 85.0,
        accel: 3.0,
        radius: 14.0,
        hp: 3,
        points: 150,
        frame: 4,
        scale: 2.0,
        knockback: 140.0,
    },
    // swarmer
    Spec {
        speed: 150.0,
        accel: 6.0,
        radius: 9.0,
        hp: 1,
        points: 50,
        frame: 6,
        scale: 1.5,
        knockback: 0.0,
    },
    // brute
    Spec {
        speed: 48.0,
        accel: 2.0,
        radius: 22.0,
        hp: 14,
        points: 400,
        frame: 8,
        scale: 3.5,
        knockback: 25.0,
    },
];

#[derive(Clone, Copy)]
struct Enemy {
    kind: Kind,
    x: f32,
    y: f32,
    vx: f32,
    vy: f32,
    hp: i32,
    flash: f32,   // seconds of hit flash
    reload: f32,  // shooter: seconds to the next shot
    phase: f32,   // animation and weaving offset
    orbit: f32,   // shooter: +1 or -1, which way it circles
    crowd: Crowd, // its neighbourhood, refreshed every third step (see move_enemies)
}

#[derive(Clone, Copy)]
struct Shot {
    x: f32,
    y: f32,
    vx: f32,
    vy: f32,
    life: f32,
}

#[derive(Clone, Copy, Default)]
struct Crowd {
    push_x: f32,
    push_y: f32,
    flock_x: f32,
    flock_y: f32,
    heading_x: f32,
    heading_y: f32,
    flock_n: f32,
}

#[derive(Clone, Copy, Default)]
struct Bullet {
    id: u32,
    x: f32,
    y: f32,
    vx: f32,
    vy: f32,
    radius: f32,
    damage: i32,
}

struct State {
    enemies: Vec<Enemy>,
    shots: Vec<Shot>,
    bullets: Vec<Bullet>,
    player: (f32, f32),
    aim: (f32, f32),
    player_vulnerable: bool,
    grid: Vec<i32>, // first enemy index per cell, -1 = none
    next: Vec<i32>, // next enemy in the same cell
    step: u32,
    killed: u32,
    sprites: i32,
    snd_shot: i32,
    inbox: Vec<u8>, // receive buffer, kept between steps
    // Outgoing this step.
    hits: Vec<u8>,
    kills: Vec<u8>,
    damage: i32,
}

static mut STATE: Option<State> = None;

fn state() -> &'static mut State {
    // Safety: a wasm module runs single-threaded, and the host calls one export at a time.
    unsafe { STATE.get_or_insert_with(State::new) }
}

fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn push_f32s(out: &mut Vec<u8>, values: &[f32]) {
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

// f32::min/max/clamp become libm calls (NaN rules) in wasm; these are plain compares.
fn maxf(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else {
        b
    }
}

fn clampf(v: f32, lo: f32, hi: f32) -> f32 {
    if v < lo {
        lo
    } else if v > hi {
        hi
    } else {
        v
    }
}

// atan2 in degrees, to within a fraction of a degree (plenty for a sprite's rotation), without
// the libm call: an octant reduction and a short polynomial.
fn atan2_degrees(y: f32, x: f32) -> f32 {
    let (ax, ay) = (if x < 0.0 { -x } else { x }, if y < 0.0 { -y } else { y });
    if ax < 1e-9 && ay < 1e-9 {
        return 0.0;
    }
    let (small, big) = if ax < ay { (ax, ay) } else { (ay, ax) };
    let t = small / big; // 0..1
    let mut a = t * (45.0 + 15.6 * (1.0 - t)); // atan(t) in degrees, max error ~0.3
    if ay > ax {
        a = 90.0 - a;
    }
    if x < 0.0 {
        a = 180.0 - a;
    }
    if y < 0.0 {
        -a
    } else {
        a
    }
}

// A smooth -1..1 wave with period 2*pi: a parabola per half period, cheaper than sin().
fn wave(t: f32) -> f32 {
    let x = t * (1.0 / 6.2831853);
    let x = (x - (x as i32) as f32) * 2.0 - 1.0; // -1..1 within the period (t >= 0)
    4.0 * x * (1.0 - x.abs())
}

fn cell_of(x: f32, y: f32) -> usize {
    let cx = ((x / CELL) as usize).min(GRID_W - 1);
    let cy = ((y / CELL) as usize).min(GRID_H - 1);
    cy * GRID_W + cx
}

impl State {
    fn new() -> State {
        State {
            enemies: Vec::with_capacity(2048),
            shots: Vec::with_capacity(256),
            bullets: Vec::with_capacity(1024),
            player: (480.0, 286.0),
            aim: (1.0, 0.0),
            player_vulnerable: false,
            grid: vec![-1; GRID_W * GRID_H],
            next: Vec::with_capacity(2048),
            step: 0,
            killed: 0,
            sprites: -1,
            snd_shot: -1,
            inbox: vec![0; 64 * 1024],
            hits: Vec::new(),
            kills: Vec::new(),
            damage: 0,
        }
    }

    fn spawn(&mut self, kind: Kind, x: f32, y: f32) {
        let spec = &SPECS[kind as usize];
        self.enemies.push(Enemy {
            kind,
            x: x.clamp(FIELD_X0 + spec.radius, FIELD_X1 - spec.radius),
            y: y.clamp(FIELD_Y0 + spec.radius, FIELD_Y1 - spec.radius),
            vx: 0.0,
            vy: 0.0,
            hp: spec.hp,
            flash: 0.0,
            reload: random_range(1.2, 2.6),
            phase: random_range(0.0, 6.283),
            orbit: if random_float() < 0.5 { -1.0 } else { 1.0 },
            crowd: Crowd::default(),
        });
    }

    // ---- Messages from the arena ----

    fn receive(&mut self) {
        let mut buf = std::mem::take(&mut self.inbox);
        loop {
            let kind = receive_message(&mut buf);
            if kind < 0 {
                break;
            }
            let size = (message_size().max(0) as usize).min(buf.len());
            let data = &buf[..size];
            match kind {
                MSG_RESET => {
                    self.enemies.clear();
                    self.shots.clear();
                }
                MSG_SPAWN => {
                    for s in data.chunks_exact(SPAWN_SIZE) {
                        let kind = match i32_at(s, 0) {
                            1 => Kind::Shooter,
                            2 => Kind::Swarmer,
                            3 => Kind::Brute,
                            _ => Kind::Chaser,
                        };
                        self.spawn(kind, f32_at(s, 4), f32_at(s, 8));
                    }
                }
                MSG_WORLD if size >= WORLD_SIZE => self.read_world(data),
                _ => {}
            }
        }
        self.inbox = buf;
    }

    fn read_world(&mut self, data: &[u8]) {
        self.player = (f32_at(data, 0), f32_at(data, 4));
        self.aim = (f32_at(data, 8), f32_at(data, 12));
        self.player_vulnerable = i32_at(data, 16) != 0;
        self.bullets.clear();
        for b in data[WORLD_SIZE..].chunks_exact(BULLET_SIZE) {
            self.bullets.push(Bullet {
                id: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                x: f32_at(b, 4),
                y: f32_at(b, 8),
                vx: f32_at(b, 12),
                vy: f32_at(b, 16),
                radius: f32_at(b, 20),
                damage: i32_at(b, 24),
            });
        }
    }

    // ---- The grid ----

    fn rebuild_grid(&mut self) {
        self.grid.iter_mut().for_each(|c| *c = -1);
        self.next.clear();
        self.next.resize(self.enemies.len(), -1);
        for (i, e) in self.enemies.iter().enumerate() {
            let c = cell_of(e.x, e.y);
            self.next[i] = self.grid[c];
            self.grid[c] = i as i32;
        }
    }

    // Calls f(j) for the enemies j in the 3x3 cells around (x, y), at most MAX_NEIGHBOURS of
    // them: in a crowd, the first few already give the push, and the cost stays linear.
    fn for_neighbours(&self, x: f32, y: f32, mut f: impl FnMut(usize)) {
        let cx = (x / CELL) as i32;
        let cy = (y / CELL) as i32;
        let mut budget = MAX_NEIGHBOURS;
        for gy in (cy - 1).max(0)..=(cy + 1).min(GRID_H as i32 - 1) {
            for gx in (cx - 1).max(0)..=(cx + 1).min(GRID_W as i32 - 1) {
                let mut j = self.grid[gy as usize * GRID_W + gx as usize];
                while j >= 0 {
                    if budget == 0 {
                        return;
                    }
                    budget -= 1;
                    f(j as usize);
                    j = self.next[j as usize];
                }
            }
        }
    }

    // ---- Behaviours ----

    // One pass over an enemy's neighbours: the push away from the ones it overlaps (heavier
    // ones push harder) and, for swarmers, the centre and heading of nearby swarmers.
    fn neighbourhood(&self, i: usize) -> Crowd {
        let e = &self.enemies[i];
        let r = SPECS[e.kind as usize].radius;
        let mut c = Crowd::default();
        self.for_neighbours(e.x, e.y, |j| {
            if j == i {
                return;
            }
            let o = &self.enemies[j];
            let (dx, dy) = (e.x - o.x, e.y - o.y);
            let ro = SPECS[o.kind as usize].radius;
            let min = r + ro;
            let d2 = dx * dx + dy * dy;
            if d2 < min * min && d2 > 0.0001 {
                let d = d2.sqrt();
                let push = (min - d) * ro / r / d;
                c.push_x += dx * push;
                c.push_y += dy * push;
            }
            if o.kind == Kind::Swarmer {
                c.flock_x += o.x;
                c.flock_y += o.y;
                c.heading_x += o.vx;
                c.heading_y += o.vy;
                c.flock_n += 1.0;
            }
        });
        c
    }

    // The velocity an enemy wants, by kind.
    fn desired_velocity(&self, e: &Enemy, crowd: &Crowd) -> (f32, f32) {
        let speed = SPECS[e.kind as usize].speed;
        let (dx, dy) = (self.player.0 - e.x, self.player.1 - e.y);
        let dist = maxf((dx * dx + dy * dy).sqrt(), 0.001);
        let (ux, uy) = (dx / dist, dy / dist);
        match e.kind {
            Kind::Chaser | Kind::Brute => (ux * speed, uy * speed),
            Kind::Shooter => {
                // Back off inside 200 px, close in beyond 300, circle in between.
                let radial = if dist < 200.0 {
                    -1.0
                } else if dist > 300.0 {
                    1.0
                } else {
                    0.0
                };
                let (tx, ty) = (-uy * e.orbit, ux * e.orbit);
                (
                    (ux * radial + tx * 0.8) * speed,
                    (uy * radial + ty * 0.8) * speed,
                )
            }
            Kind::Swarmer => {
                // Boids: head for the player, weave, keep with the flock (cohesion, alignment).
                let weave = wave((self.step as f32) * 0.12 + e.phase) * 0.9;
                let (mut vx, mut vy) = (ux - uy * weave, uy + ux * weave);
                if crowd.flock_n > 0.0 {
                    let n = crowd.flock_n;
                    vx += (crowd.flock_x / n - e.x) * 0.02 + crowd.heading_x / n / speed * 0.5;
                    vy += (crowd.flock_y / n - e.y) * 0.02 + crowd.heading_y / n / speed * 0.5;
                }
                let len = maxf((vx * vx + vy * vy).sqrt(), 0.001);
                (vx / len * speed, vy / len * speed)
            }
        }
    }

    fn move_enemies(&mut self, dt: f32) {
        for i in 0..self.enemies.len() {
            // Time slicing: each enemy looks at its neighbours every third step, which cuts
            // the cost of a crowd and is not visible at 60 steps per second.
            if (i as u32 + self.step) % 3 == 0 {
                self.enemies[i].crowd = self.neighbourhood(i);
            }
            let crowd = self.enemies[i].crowd;
            let (wx, wy) = self.desired_velocity(&self.enemies[i], &crowd);
            let (sx, sy) = (crowd.push_x * 6.0, crowd.push_y * 6.0);
            let e = &mut self.enemies[i];
            let spec = &SPECS[e.kind as usize];
            let k = clampf(spec.accel * dt, 0.0, 1.0);
            e.vx += (wx - e.vx) * k + sx * dt;
            e.vy += (wy - e.vy) * k + sy * dt;
            e.x = clampf(
                e.x + e.vx * dt,
                FIELD_X0 + spec.radius,
                FIELD_X1 - spec.radius,
            );
            e.y = clampf(
                e.y + e.vy * dt,
                FIELD_Y0 + spec.radius,
                FIELD_Y1 - spec.radius,
            );
            e.flash = maxf(e.flash - dt, 0.0);
        }
    }

    // ---- Shooting ----

    fn shooters_fire(&mut self, dt: f32) {
        let player = self.player;
        let mut fired = None;
        for e in self.enemies.iter_mut().filter(|e| e.kind == Kind::Shooter) {
            e.reload -= dt;
            if e.reload > 0.0 {
                continue;
            }
            e.reload = random_range(1.8, 2.8);
            let (dx, dy) = (player.0 - e.x, player.1 - e.y);
            let d = maxf((dx * dx + dy * dy).sqrt(), 0.001);
            let (ux, uy) = (dx / d, dy / d);
            self.shots.push(Shot {
                x: e.x + ux * 18.0,
                y: e.y + uy * 18.0,
                vx: ux * 230.0,
                vy: uy * 230.0,
                life: 4.0,
            });
            fired = Some(e.x);
        }
        if let Some(x) = fired {
            play_sound(self.snd_shot, 0.35, (x / 480.0 - 1.0) * 0.6, 1.0);
        }
    }

    fn move_shots(&mut self, dt: f32) {
        let (px, py) = self.player;
        let vulnerable = self.player_vulnerable;
        let mut damage = 0;
        self.shots.retain_mut(|s| {
            s.x += s.vx * dt;
            s.y += s.vy * dt;
            s.life -= dt;
            let (dx, dy) = (s.x - px, s.y - py);
            let hit =
                vulnerable && dx * dx + dy * dy < (PLAYER_RADIUS + 5.0) * (PLAYER_RADIUS + 5.0);
            if hit {
                damage = 1;
            }
            let inside = s.x > FIELD_X0 && s.x < FIELD_X1 && s.y > FIELD_Y0 && s.y < FIELD_Y1;
            !hit && inside && s.life > 0.0
        });
        self.damage = self.damage.max(damage);
    }

    // ---- Collisions with the player's bullets and the player ----

    fn bullets_hit(&mut self) {
        for bi in 0..self.bullets.len() {
            let b = self.bullets[bi];
            let mut target = None;
            self.for_neighbours(b.x, b.y, |j| {
                let e = &self.enemies[j];
                let r = SPECS[e.kind as usize].radius + b.radius;
                let (dx, dy) = (e.x - b.x, e.y - b.y);
                if target.is_none() && e.hp > 0 && dx * dx + dy * dy < r * r {
                    target = Some(j);
                }
            });
            let j = match target {
                Some(j) => j,
                None => continue,
            };
            let e = &mut self.enemies[j];
            let spec = &SPECS[e.kind as usize];
            e.hp -= b.damage;
            e.flash = 0.1;
            let speed = maxf((b.vx * b.vx + b.vy * b.vy).sqrt(), 0.001);
            e.vx += b.vx / speed * spec.knockback;
            e.vy += b.vy / speed * spec.knockback;
            self.hits.extend_from_slice(&b.id.to_le_bytes());
            push_f32s(&mut self.hits, &[b.x, b.y]);
        }
    }

    fn touch_player(&mut self) {
        if !self.player_vulnerable {
            return;
        }
        let (px, py) = self.player;
        let mut touched = false;
        self.for_neighbours(px, py, |j| {
            let e = &self.enemies[j];
            let r = SPECS[e.kind as usize].radius + PLAYER_RADIUS;
            let (dx, dy) = (e.x - px, e.y - py);
            touched |= dx * dx + dy * dy < r * r;
        });
        if touched {
            self.damage = 1;
        }
    }

    // Dead enemies leave: reported to the arena, a brute bursts into swarmers.
    fn remove_dead(&mut self) {
        let mut bursts = Vec::new();
        let kills = &mut self.kills;
        let mut killed = 0;
        self.enemies.retain(|e| {
            if e.hp > 0 {
                return true;
            }
            kills.extend_from_slice(&(e.kind as i32).to_le_bytes());
            kills.extend_from_slice(&SPECS[e.kind as usize].points.to_le_bytes());
            push_f32s(kills, &[e.x, e.y]);
            if e.kind == Kind::Brute {
                bursts.push((e.x, e.y));
            }
            killed += 1;
            false
        });
        self.killed += killed;
        for (x, y) in bursts {
            for k in 0..4 {
                let a = k as f32 * 1.5708;
                self.spawn(Kind::Swarmer, x + a.cos() * 16.0, y + a.sin() * 16.0);
            }
        }
    }

    // Aim assist for keyboard players: the enemy nearest the aim line, within 30 degrees and
    // 450 px, is published for the arena to fire at.
    fn publish_target(&self) {
        let (px, py) = self.player;
        let mut best: Option<(f32, f32, f32)> = None;
        for e in &self.enemies {
            let (dx, dy) = (e.x - px, e.y - py);
            let d = maxf((dx * dx + dy * dy).sqrt(), 0.001);
            let cos = (dx * self.aim.0 + dy * self.aim.1) / d;
            if d < 450.0 && cos > 0.866 && best.map_or(true, |b| cos > b.0) {
                best = Some((cos, e.x, e.y));
            }
        }
        shared_set("enemies.target", best.is_some() as i32 as f64);
        if let Some((_, x, y)) = best {
            shared_set("enemies.target_x", x as f64);
            shared_set("enemies.target_y", y as f64);
        }
    }

    fn send(&mut self) {
        if !self.hits.is_empty() {
            send_message("arena", MSG_HITS, &self.hits);
        }
        if !self.kills.is_empty() {
            send_message("arena", MSG_KILLED, &self.kills);
        }
        if self.damage > 0 {
            send_message("arena", MSG_PLAYER_HIT, &self.damage.to_le_bytes());
        }
        self.hits.clear();
        self.kills.clear();
        self.damage = 0;
        shared_set("enemies.alive", self.enemies.len() as f64);
        shared_set(
            "enemies.entities",
            (self.enemies.len() + self.shots.len()) as f64,
        );
    }

    fn update(&mut self, dt: f32) {
        self.step += 1;
        self.receive();
        self.rebuild_grid();
        self.move_enemies(dt);
        // Collisions use the grid from before the move: nobody moved more than a few pixels,
        // and the 3x3 cell search has room to spare.
        self.bullets_hit();
        self.touch_player();
        self.shooters_fire(dt);
        self.move_shots(dt);
        self.remove_dead();
        self.publish_target();
        self.send();
    }

    // ---- Drawing ----

    fn draw(&self) {
        set_camera(
            shared_get("camera.x") as f32,
            shared_get("camera.y") as f32,
            1.0,
            0.0,
        );
        set_layer(LAYER_ENEMIES);
        let (px, py) = self.player;
        for e in &self.enemies {
            let spec = &SPECS[e.kind as usize];
            let anim = ((self.step / 8) as i32 + (e.phase * 2.0) as i32) % 2;
            let (angle, frame, flip) = match e.kind {
                Kind::Shooter => {
                    let charging = e.reload < 0.4 && (self.step / 3) % 2 == 0;
                    (
                        atan2_degrees(py - e.y, px - e.x),
                        spec.frame + charging as i32,
                        0,
                    )
                }
                Kind::Brute => (0.0, spec.frame + anim, if px < e.x { FLIP_X } else { 0 }),
                _ => (atan2_degrees(e.vy, e.vx), spec.frame + anim, 0),
            };
            let (scale, tint) = if e.flash > 0.0 {
                (spec.scale * 1.15, rgba(255, 150, 150, 255))
            } else {
                (spec.scale, 0xFFFFFFFF)
            };
            draw_sprite(self.sprites, frame, e.x, e.y, angle, scale, flip, tint);
        }
        set_layer(LAYER_ENEMY_SHOTS);
        let pulse = 1.8 + 0.3 * ((self.step as f32) * 0.4).sin();
        for s in &self.shots {
            draw_sprite(
                self.sprites,
                FR_ENEMY_BULLET,
                s.x,
                s.y,
                0.0,
                pulse,
                0,
                0xFFFFFFFF,
            );
        }
    }

    fn hash(&self) -> u64 {
        let mut h: u64 = 0xcbf29ce484222325;
        let mut mix = |v: u32| {
            for b in v.to_le_bytes() {
                h = (h ^ b as u64).wrapping_mul(0x100000001b3);
            }
        };
        mix(self.enemies.len() as u32);
        for e in &self.enemies {
            for v in [e.x, e.y, e.vx, e.vy, e.reload] {
                mix(v.to_bits());
            }
            mix(e.kind as u32);
            mix(e.hp as u32);
        }
        for s in &self.shots {
            mix(s.x.to_bits());
            mix(s.y.to_bits());
        }
        mix(self.killed);
        h
    }
}

// ---- Exports ----

#[no_mangle]
pub extern "C" fn init() {
    let s = state();
    s.sprites = asset_id("sprites.png");
    s.snd_shot = asset_id("enemy_shot.wav");
}

#[no_mangle]
pub extern "C" fn update(dt: f32) {
    state().update(dt);
}

#[no_mangle]
pub extern "C" fn draw() {
    state().draw();
}

#[no_mangle]
pub extern "C" fn state_hash() -> u64 {
    state().hash()
}

#[no_mangle]
pub extern "C" fn query_enemies() -> i32 {
    state().enemies.len() as i32
}

#[no_mangle]
pub extern "C" fn query_enemies_killed() -> i32 {
    state().killed as i32
}

#[no_mangle]
pub extern "C" fn query_enemy_shots() -> i32 {
    state().shots.len() as i32
}
