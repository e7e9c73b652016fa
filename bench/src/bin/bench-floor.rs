//! The floor: the least any YAML golden check can do. Reads each golden file, parses
//! it with serde_yaml into plain maps and compares every message string, in one
//! thread, printing one summary line. No trials, no reports, no line numbers.

use compat_bench::{file_range, from_env, id, message, stem, FILES};
use std::collections::HashMap;

type Golden = HashMap<String, HashMap<String, HashMap<String, String>>>;

fn main() {
    let (dir, total) = from_env();
    let (mut matched, mut mismatched) = (0usize, 0usize);
    for f in 0..FILES {
        let path = dir.join("goldens").join(format!("{}.yaml", stem(f)));
        let text = std::fs::read_to_string(&path).expect("read a golden");
        let golden: Golden = serde_yaml::from_str(&text).expect("parse a golden");
        let cases = &golden["cases"];
        for i in file_range(total, f) {
            let pinned = cases.get(&id(i)).and_then(|c| c.get("message"));
            if pinned == Some(&message(i)) {
                matched += 1;
            } else {
                mismatched += 1;
            }
        }
    }
    println!("floor: {matched} matched, {mismatched} mismatched");
    std::process::exit(i32::from(mismatched > 0));
}
