//! Links the `aslkit` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable (the default) is relocated by the dynamic loader at every
//! start: ~14,000 relative relocations rewrite the vtables and tables of string pointers in
//! `.data.rel.ro`, and each of its ~70 pages written is a copy-on-write page fault. On a small
//! definition that start-up was a fifth of the whole run (bench/compare-peers.sh's `small`
//! workload: 385 → 276 page faults, 2.3 → 1.8 ms CPU). What this gives up is address-space
//! layout randomisation of the executable's own image (shared libraries, heap and stacks are
//! still randomised); aslkit is memory-safe Rust that never runs code from its input.
//! Only the binaries are linked this way: the library, tests and proc-macro builds are not.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
