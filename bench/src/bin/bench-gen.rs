//! Writes the goldens of a synthetic benchmark: `$BENCH_DIR/goldens/synth_NNN.yaml`,
//! `$BENCH_CASES` cases over 100 files, in canonical form (the framework's own
//! canonical writer, `_support::render_file`, so they are byte for byte what an approval writes).
//! insta's snapshots are written by the insta binaries themselves (`INSTA_UPDATE=always`).

use compat_bench::{drifted_message, file_range, from_env, id, stem, FILES};
use wire_compat::_support::{render_file, APPROVAL_LINES};
use wire_compat::Entry;

fn main() {
    let (dir, total) = from_env();
    let goldens = dir.join("goldens");
    if goldens.exists() {
        std::fs::remove_dir_all(&goldens).expect("remove old goldens");
    }
    std::fs::create_dir_all(&goldens).expect("create the goldens folder");
    let mut header = vec!["synthetic benchmark catalog".to_owned(), String::new()];
    header.extend(APPROVAL_LINES.iter().map(|l| (*l).to_owned()));
    let mut bytes = 0;
    for f in 0..FILES {
        let cases: Vec<(String, Entry)> = file_range(total, f)
            .map(|i| (id(i), Entry::new().with("message", drifted_message(i))))
            .collect();
        let text = render_file(&header, cases.iter().map(|(i, e)| (i.as_str(), e)));
        bytes += text.len();
        std::fs::write(goldens.join(format!("{}.yaml", stem(f))), text).expect("write a golden");
    }
    println!("{total} cases in {FILES} golden files, {bytes} bytes");
}
