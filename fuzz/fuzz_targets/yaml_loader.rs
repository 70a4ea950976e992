#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| aslkit::fuzzing::yaml_loader(data));
