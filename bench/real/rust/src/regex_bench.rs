// The regex workload: the regex crate (Debian's librust-regex-dev, unchanged) over a generated
// server log of about 200 KiB: compiling patterns, counting matches, capture groups, a
// case-insensitive alternation, replace_all and split, line-anchored captures, three rounds.
// The size argument is the log's length in hundreds of lines.
#[macro_use]
#[path = "../../../rust/bench.rs"]
mod bench;
use bench::mix;
use regex::Regex;

fn make_log(lines: usize) -> String {
    const WORDS: [&str; 10] = [
        "spawned", "player", "loaded", "texture", "connection", "timeout", "saved", "level",
        "shader", "compiled",
    ];
    const LEVELS: [&str; 4] = ["INFO", "WARN", "ERROR", "debug"];
    let mut rng = 7u32;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        rng
    };
    let mut out = String::with_capacity(lines * 96);
    for i in 0..lines {
        let r = next();
        out.push_str(&format!(
            "[{}] 2026-{:02}-{:02} {}:{:02} user{}@host{}.{} {} {}, {};  {} ip 10.{}.{}.{}\n",
            LEVELS[(r % 4) as usize],
            1 + r % 12,
            1 + (r >> 4) % 28,
            (r >> 9) % 24,
            (r >> 14) % 60,
            r % 997,
            (r >> 3) % 50,
            ["com", "org", "net", "io"][((r >> 20) % 4) as usize],
            WORDS[((r >> 7) % 10) as usize],
            WORDS[((r >> 11) % 10) as usize],
            WORDS[((r >> 15) % 10) as usize],
            i,
            (r >> 8) & 255,
            (r >> 16) & 255,
            (r >> 24) & 255
        ));
    }
    out
}

fn run(hundreds: u64) -> u64 {
    let log = make_log(hundreds as usize * 100);
    let mut h = log.len() as u64;
    for _ in 0..3 {
        let email = Regex::new(r"\b\w+@\w+\.(com|org|net)\b").unwrap();
        let date = Regex::new(r"(\d{4})-(\d{2})-(\d{2}) (\d+):(\d{2})").unwrap();
        let alarm = Regex::new(r"(?i)\b(error|warn(ing)?|timeout)\b").unwrap();
        let space = Regex::new(r"\s+").unwrap();
        let sep = Regex::new(r"[,;]\s*").unwrap();
        let line = Regex::new(r"(?m)^\[(\w+)\] .* ip (\d+)\.(\d+)\.(\d+)\.(\d+)$").unwrap();
        h = mix(h, email.find_iter(&log).count() as u64);
        for c in date.captures_iter(&log) {
            let month: u64 = c[2].parse().unwrap();
            let minute: u64 = c[5].parse().unwrap();
            h = mix(h, month * 60 + minute);
        }
        h = mix(h, alarm.find_iter(&log).map(|m| m.start() as u64).sum());
        let squeezed = space.replace_all(&log, " ");
        h = mix(h, squeezed.len() as u64);
        h = mix(h, sep.split(&log).map(|s| s.len() as u64 ^ 0x55).fold(0, mix));
        for c in line.captures_iter(&log).step_by(3) {
            h = mix(h, c[1].len() as u64 + c[5].parse::<u64>().unwrap());
        }
    }
    h
}

const FULL: u64 = 20;
const QUICK: u64 = 2;
bench_main!(run, FULL, QUICK);
