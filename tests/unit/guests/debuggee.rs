// The source-level debugger's Rust test program (tests/unit/test_source.cpp), built with -g at
// opt-level 0 and 2. The tests find lines by the "@name" markers in the comments.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    Idle,
    Hunting,
    Fleeing,
}

struct Enemy {
    id: i32,
    hp: f32,
    pos: (f32, f32),
    mode: Mode,
    target: Option<u32>,
    path: Vec<u32>,
    name: &'static str,
}

#[link(wasm_import_module = "env")]
extern "C" {
    fn host_add(a: i32, b: i32) -> i32;
}

static mut COUNTER: i32 = 7;
static mut BONUS: i32 = 0; // written by main: the inlined call below is not optimized away

// Always inlined, also at opt-level 0: stepping over the line that calls it runs it whole.
#[inline(always)]
fn bonus(total: i32, factor: i32) -> i32 {
    let b = total * factor; // @bonus
    if b > 100 { 100 } else { b } // @bonus_clamp
}

#[inline(never)]
fn weigh(e: &Enemy, factor: i32) -> f32 {
    let w = e.hp * factor as f32; // @weigh
    let w = w + e.path[2] as f32; // @weigh_add
    w // @weigh_return
}

#[inline(never)]
fn peek(address: usize) -> i32 {
    let p = address as *const i32;
    unsafe { *p } // @peek (traps outside memory)
}

fn main() {
    let enemies = vec![
        Enemy { id: 1, hp: 10.5, pos: (1.0, 2.0), mode: Mode::Hunting, target: Some(2),
                path: vec![1, 2, 3, 4], name: "alpha" },
        Enemy { id: 2, hp: 20.25, pos: (3.0, 4.0), mode: Mode::Idle, target: None,
                path: vec![5, 6, 7, 8], name: "beta" },
        Enemy { id: 3, hp: 0.5, pos: (5.0, 6.0), mode: Mode::Fleeing, target: Some(1),
                path: vec![9, 10, 11, 12], name: "gamma" },
    ];
    // 2 without arguments: not a constant the optimizer could fold into weigh.
    let factor = 1 + std::env::args().count() as i32;
    let mut total = 0;
    for e in &enemies {
        let w = weigh(e, factor); // @call
        total += w as i32; // @after_call
    }
    total = unsafe { host_add(total, COUNTER) }; // @host
    println!("total {}", total); // @print
    unsafe { std::ptr::write_volatile(std::ptr::addr_of_mut!(BONUS), bonus(total, factor)) }; // @inline_call
    unsafe { std::ptr::write_volatile(std::ptr::addr_of_mut!(BONUS), BONUS + factor) }; // @after_inline
    if std::env::args().count() > 1 {
        total += peek(0xffff_fff0); // @trap_call
    }
    std::process::exit(if total == 12345 { 1 } else { 0 });
}
