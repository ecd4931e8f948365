// Heap-heavy Rust: Vec growth, Strings, Box'ed trees, BTreeMap and HashMap (whose random seed
// comes from WASI random_get, so its iteration order is sorted before printing).
use std::collections::{BTreeMap, HashMap};

enum Tree {
    Leaf(u64),
    Node(Box<Tree>, Box<Tree>),
}

fn build(depth: u32, seed: &mut u64) -> Tree {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    if depth == 0 {
        Tree::Leaf(*seed >> 33)
    } else {
        Tree::Node(Box::new(build(depth - 1, seed)), Box::new(build(depth - 1, seed)))
    }
}

fn sum(t: &Tree) -> u64 {
    match t {
        Tree::Leaf(v) => *v,
        Tree::Node(a, b) => sum(a).wrapping_add(sum(b)),
    }
}

fn main() {
    let mut seed = 42u64;
    let mut checksum = 0u64;
    for round in 0..20 {
        let tree = build(10 + round % 4, &mut seed);
        checksum = checksum.wrapping_mul(31).wrapping_add(sum(&tree));
    }
    println!("tree checksum {:016x}", checksum);

    let mut words: HashMap<String, usize> = HashMap::new();
    let mut ordered: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
    for i in 0..20000u64 {
        let key = format!("w{}", (i * 7919) % 1543);
        *words.entry(key).or_insert(0) += 1;
        let v: Vec<u8> = (0..(i % 97) as u8).collect();
        ordered.insert((i * 2654435761) % 100003, v);
        if i % 3 == 0 {
            ordered.remove(&((i * 40503) % 100003));
        }
    }
    let mut counts: Vec<(&String, &usize)> = words.iter().collect();
    counts.sort();
    println!("{} distinct words; first {:?}; last {:?}", counts.len(), counts[0], counts[counts.len() - 1]);
    let total: usize = ordered.values().map(|v| v.len()).sum();
    println!("btree: {} entries, {} bytes, first key {:?}", ordered.len(), total, ordered.keys().next());

    let mut v: Vec<String> = Vec::new();
    for i in 0..50000 {
        v.push(i.to_string());
    }
    v.retain(|s| s.ends_with('7'));
    v.shrink_to_fit();
    let joined = v.join(",");
    println!("kept {}, joined {} bytes, capacity >= len: {}", v.len(), joined.len(), v.capacity() >= v.len());
    let big = vec![0xA5u8; 16 << 20];
    println!("big vec sum {}", big.iter().map(|&b| b as u64).sum::<u64>());
}
