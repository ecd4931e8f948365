// Rust workload: text indexing with the standard library. Generates a text, splits it into
// words, counts them in a BTreeMap<String, u32>, ranks them with sort_by, and formats a report
// with write!. Stresses allocation, string slicing, UTF-8 checks, iterator chains, generic
// collections and core::fmt. The size argument is the number of rounds.
#[macro_use]
#[path = "bench.rs"]
mod bench;
use bench::mix;
use std::collections::BTreeMap;
use std::fmt::Write;

struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
}


fn make_text(rng: &mut Rng, words: usize) -> String {
    const SYLLABLES: [&str; 12] = [
        "ta", "ko", "mi", "rel", "sun", "va", "or", "en", "lu", "qua", "zi", "pe",
    ];
    let mut text = String::new();
    for i in 0..words {
        let n = 1 + rng.next() % 3;
        for k in 0..n {
            let s = SYLLABLES[(rng.next() % 12) as usize];
            if k == 0 && rng.next() % 6 == 0 {
                text.push_str(&s.to_uppercase());
            } else {
                text.push_str(s);
            }
        }
        text.push_str(if i % 11 == 10 { ".\n" } else { " " });
    }
    text
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn round(text: &str) -> u64 {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    let mut ranked: Vec<(&String, &u32)> = counts.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut report = String::new();
    for (rank, (word, count)) in ranked.iter().enumerate() {
        let reversed: String = word.chars().rev().collect();
        writeln!(
            report,
            "{:>5} {:<12} {:>6} {}",
            rank + 1,
            word,
            count,
            reversed
        )
        .unwrap();
    }
    let longest = counts.keys().map(|w| w.len()).max().unwrap_or(0) as u64;
    mix(mix(fnv(report.as_bytes()), counts.len() as u64), longest)
}

const FULL: usize = 12;
const QUICK: usize = 1;

fn run(rounds: usize) -> u64 {
    let mut rng = Rng(0x7e47);
    let mut text = make_text(&mut rng, (rounds * 2000).min(20000)); // tiny in quick mode
    let mut sum = 0u64;
    for r in 0..rounds {
        // Change one word per round so every round does fresh work.
        let at = (r * 7919) % (text.len() - 8);
        if text.as_bytes()[at].is_ascii_lowercase() {
            let upper = text[at..at + 1].to_uppercase();
            text.replace_range(at..at + 1, &upper);
        }
        sum = mix(sum, round(&text));
    }
    sum
}

bench_main!(run, FULL, QUICK);
