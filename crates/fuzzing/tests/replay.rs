//! Every saved fuzz input — the corpora in `fuzz/corpus/` and each past crash in
//! `fuzz/regressions/` — through its target, and a few thousand cheap mutations of
//! them, on stable Rust: the quick version of the fuzzing that CI can afford.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

use chronicle_fuzzing::{TARGETS, target};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `run` on `data`, naming the input when it panics.
fn run_named(run: fn(&[u8]), data: &[u8], name: &str) {
    let outcome = std::panic::catch_unwind(|| run(data));
    assert!(outcome.is_ok(), "{name} fails its target");
}

#[test]
fn every_saved_input_passes_its_target() {
    let mut total = 0;
    for (name, run) in TARGETS {
        let corpus = inputs(&fuzz_dir().join("corpus").join(name));
        assert!(!corpus.is_empty(), "no corpus for the target {name}");
        for path in corpus
            .iter()
            .chain(&inputs(&fuzz_dir().join("regressions").join(name)))
        {
            run_named(
                *run,
                &std::fs::read(path).unwrap(),
                &path.display().to_string(),
            );
            total += 1;
        }
    }
    assert!(total >= TARGETS.len());
}

#[test]
fn every_regression_names_a_target() {
    for entry in std::fs::read_dir(fuzz_dir().join("regressions")).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        assert!(target(&name).is_some(), "regressions/{name} is no target");
    }
}

/// xorshift64*: reproducible mutations without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers, spliced in by the mutator.
const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"/>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"&amp;",
    b"&#",
    b"\"",
    b"\xE2\x80\x9C",
    b"\xE2\x80\x9D",
    b"\r\n",
    b"\n\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"---\n",
    b"WARC-Type: response\r\n",
    b"Content-Length: ",
    b"<item>",
    b"<entry>",
    b"<outline xmlUrl=",
    b"said",
    b"yesterday",
    b"2026-02-30",
    b"\xF0\x9F\x98\x80",
    b"\xFF",
    b"\x00",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let at = at.min(data.len() - 1);
                data[at] ^= 1 << rng.below(8);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(256)).min(data.len());
                let chunk = data[at..end].to_vec();
                data.splice(at..at, chunk);
            }
            4 => data.truncate(at),
            _ => data.insert(at, rng.next() as u8),
        }
    }
    data
}

#[test]
fn mutations_of_the_corpora_pass_their_targets() {
    let rounds: usize = std::env::var("CHRONICLE_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(150);
    for (index, (name, run)) in TARGETS.iter().enumerate() {
        let corpus: Vec<Vec<u8>> = inputs(&fuzz_dir().join("corpus").join(name))
            .iter()
            .map(|path| std::fs::read(path).unwrap())
            .collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ index as u64);
        for round in 0..rounds {
            let seed = &corpus[rng.below(corpus.len())];
            let data = mutate(&mut rng, seed);
            run_named(*run, &data, &format!("{name} mutation {round}"));
        }
    }
}
