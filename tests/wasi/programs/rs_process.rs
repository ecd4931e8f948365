// args, env, stdin and exit codes from Rust std. args[1] picks the mode:
//   echo-stdin: sums numbers read from stdin;  exit N: std::process::exit(N);
//   panic: panics (wasm32-wasi aborts: a trap);  unreachable: executes `unreachable`.
use std::io::{BufRead, Write};

#[inline(never)]
fn explode(depth: u32) -> u32 {
    if depth == 0 {
        panic!("deliberate panic at depth 0");
    }
    explode(depth - 1) + 1
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("args: {:?}", args);
    let mut vars: Vec<(String, String)> = std::env::vars().collect();
    vars.sort();
    println!("vars: {:?}", vars);
    println!("GREETING: {:?}", std::env::var("GREETING"));
    let mode = args.get(1).map(String::as_str).unwrap_or("");
    match mode {
        "echo-stdin" => {
            let mut total = 0i64;
            let mut bad = 0;
            for line in std::io::stdin().lock().lines() {
                for word in line.unwrap().split_whitespace() {
                    match word.parse::<i64>() {
                        Ok(n) => total += n,
                        Err(_) => bad += 1,
                    }
                }
            }
            println!("sum {} ({} not numbers)", total, bad);
        }
        "exit" => {
            let code: i32 = args[2].parse().unwrap();
            println!("exiting with {}", code);
            std::io::stdout().flush().unwrap();
            std::process::exit(code);
        }
        "panic" => {
            std::io::stdout().flush().unwrap();
            println!("{}", explode(3));
        }
        "unreachable" => {
            std::io::stdout().flush().unwrap();
            core::arch::wasm32::unreachable()
        }
        _ => println!("no mode"),
    }
}
