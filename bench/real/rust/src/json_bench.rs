// The JSON workload: serde_json (Debian's librust-serde-json-dev, unchanged) parsing, walking,
// changing and writing a generated game scene of about 150 KiB (entities with numbers,
// strings with escapes, nested objects and arrays): from_str into a Value, a walk of every
// node, edits, to_string and to_string_pretty, and parsing the output again. The size argument
// is the number of rounds.
#[macro_use]
#[path = "../../../rust/bench.rs"]
mod bench;
use bench::mix;
use serde_json::Value;

fn make_scene(entities: usize) -> String {
    let mut rng = 11u32;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        rng
    };
    let mut s = String::from("{\"scene\":\"arena \\\"night\\\"\",\"version\":3,\"entities\":[");
    for i in 0..entities {
        let r = next();
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"id\":{},\"name\":\"enemy_{}\\tpack\",\"pos\":[{}.{},{}.5,-{}.25],\"alive\":{},\
             \"tags\":[\"ai\",\"{}\",\"layer{}\"],\"stats\":{{\"hp\":{},\"speed\":{}.125,\
             \"loot\":null,\"drops\":[{},{},{}]}},\"script\":\"line\\none \\u00e9t\\u00e9\"}}",
            i,
            r % 1000,
            (r >> 3) % 640,
            (r >> 7) % 100,
            (r >> 11) % 480,
            (r >> 5) % 64,
            r & 1 == 0,
            ["melee", "ranged", "boss"][((r >> 13) % 3) as usize],
            (r >> 17) % 8,
            (r >> 9) % 300,
            (r >> 21) % 9,
            r % 7,
            (r >> 2) % 11,
            (r >> 4) % 13
        ));
    }
    s.push_str("]}");
    s
}

fn walk(v: &Value, h: u64) -> u64 {
    match v {
        Value::Null => mix(h, 1),
        Value::Bool(b) => mix(h, 2 + *b as u64),
        Value::Number(n) => mix(h, n.as_f64().unwrap().to_bits()),
        Value::String(s) => mix(h, s.len() as u64 ^ s.bytes().map(u64::from).sum::<u64>()),
        Value::Array(a) => a.iter().fold(mix(h, a.len() as u64), |h, x| walk(x, h)),
        Value::Object(o) => o.iter().fold(mix(h, o.len() as u64), |h, (k, x)| {
            walk(x, mix(h, k.len() as u64))
        }),
    }
}

fn run(rounds: u64) -> u64 {
    let text = make_scene(600);
    let mut h = text.len() as u64;
    for round in 0..rounds {
        let mut scene: Value = serde_json::from_str(&text).unwrap();
        h = walk(&scene, h);
        for e in scene["entities"].as_array_mut().unwrap() {
            let hp = e["stats"]["hp"].as_u64().unwrap();
            e["stats"]["hp"] = Value::from(hp + round);
            e["tags"].as_array_mut().unwrap().push(Value::from("seen"));
        }
        let compact = serde_json::to_string(&scene).unwrap();
        let pretty = serde_json::to_string_pretty(&scene).unwrap();
        let again: Value = serde_json::from_str(&pretty).unwrap();
        h = mix(h, compact.len() as u64);
        h = mix(h, pretty.len() as u64);
        h = walk(&again, h);
    }
    h
}

const FULL: u64 = 10;
const QUICK: u64 = 1;
bench_main!(run, FULL, QUICK);
