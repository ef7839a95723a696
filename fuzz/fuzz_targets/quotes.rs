#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chronicle_fuzzing::quotes(data));
