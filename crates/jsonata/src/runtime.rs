//! What evaluation and the built-ins share: the per-evaluation state ([`Evaluator`]), what a
//! built-in sees of its call ([`Call`]), and the result type [`R`]. The evaluator (`eval`) and
//! the standard library (`functions`) both build on this module and never on each other's
//! internals: the evaluator finds built-ins in the table, a built-in calls back into
//! evaluation only through `Evaluator::apply`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use aslkit_base::Span;

use crate::ast::Node;
pub(crate) use crate::error::err;
use crate::error::JsonataError;
use crate::signature::Signature;
use crate::validate::Validator;
use crate::value::{Env, Val};

pub(crate) type R<'a> = Result<Option<Val<'a>>, JsonataError>;

/// Per-evaluation state.
pub(crate) struct Evaluator<'a> {
    pub(crate) depth: Cell<usize>,
    /// Evaluation steps taken so far (see `eval::MAX_STEPS`).
    pub(crate) steps: Cell<u64>,
    pub(crate) now_millis: i64,
    pub(crate) rng: Cell<u64>,
    pub(crate) validators: RefCell<HashMap<*const Signature, Rc<Validator>>>,
    /// Ties the evaluator to the tree whose functions it calls.
    pub(crate) tree: std::marker::PhantomData<&'a Node>,
}

/// What a built-in sees besides its arguments.
pub(crate) struct Call<'a, 'e> {
    pub env: &'e Env<'a>,
    pub span: Span,
}

impl Evaluator<'_> {
    /// The next number of the evaluation's random source, in `[0, 1)` (splitmix64).
    pub(crate) fn random(&self) -> f64 {
        let mut z = self.rng.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.rng.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}
