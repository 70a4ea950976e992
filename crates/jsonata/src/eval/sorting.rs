//! Order-by (`^(…)`): jsonata-js's `evaluateSortExpression` with its stable merge sort.

use super::{frame_from_tuple, tuple_get};
use crate::ast::SortTerm;
use crate::error::JsonataError;
use crate::runtime::{err, Evaluator};
use crate::value::{js_str_cmp, merge_sort, Env, Map, Val};

impl<'a> Evaluator<'a> {
    /// Compares two sort keys; `Ok(true)` means `a` goes after `b`.
    pub(super) fn sort_swap(
        terms: &'a [SortTerm],
        a: &[Option<Val<'a>>],
        b: &[Option<Val<'a>>],
    ) -> Result<bool, JsonataError> {
        let mut comp = 0;
        for (i, term) in terms.iter().enumerate() {
            let (aa, bb) = (&a[i], &b[i]);
            match (aa, bb) {
                (None, None) => continue,
                (None, _) => {
                    comp = 1;
                    continue;
                }
                (_, None) => {
                    comp = -1;
                    continue;
                }
                _ => {}
            }
            let ordering = match (aa, bb) {
                (Some(Val::Num(x)), Some(Val::Num(y))) => x.partial_cmp(y),
                (Some(Val::Str(x)), Some(Val::Str(y))) => Some(js_str_cmp(x, y)),
                (Some(Val::Num(_) | Val::Str(_)), Some(Val::Num(_) | Val::Str(_))) => {
                    return Err(err(
                        "T2007",
                        term.expression.span,
                        "type mismatch when comparing values in order-by clause",
                    ))
                }
                _ => {
                    return Err(err(
                        "T2008",
                        term.expression.span,
                        "the expressions within an order-by clause must evaluate to numeric or string values",
                    ))
                }
            };
            comp = match ordering {
                Some(std::cmp::Ordering::Less) => -1,
                Some(std::cmp::Ordering::Greater) => 1,
                _ => continue,
            };
            if term.descending {
                comp = -comp;
            }
            if comp != 0 {
                break;
            }
        }
        Ok(comp == 1)
    }

    pub(super) fn sort_values(
        &self,
        terms: &'a [SortTerm],
        items: Vec<Val<'a>>,
        env: &Env<'a>,
    ) -> Result<Val<'a>, JsonataError> {
        if items.len() <= 1 {
            return Ok(Val::seq(items));
        }
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let mut keys = Vec::with_capacity(terms.len());
            for term in terms {
                keys.push(self.eval(&term.expression, Some(&item), env)?);
            }
            keyed.push((keys, item));
        }
        let sorted = merge_sort(keyed, &mut |a, b| Self::sort_swap(terms, &a.0, &b.0))?;
        Ok(Val::seq(sorted.into_iter().map(|(_, v)| v).collect()))
    }

    pub(super) fn sort_tuples(
        &self,
        terms: &'a [SortTerm],
        tuples: Vec<Map<'a>>,
        env: &Env<'a>,
    ) -> Result<Vec<Map<'a>>, JsonataError> {
        if tuples.len() <= 1 {
            return Ok(tuples);
        }
        let mut keyed = Vec::with_capacity(tuples.len());
        for t in tuples {
            let frame = frame_from_tuple(env, &t);
            let context = tuple_get(&t, "@");
            let mut keys = Vec::with_capacity(terms.len());
            for term in terms {
                keys.push(self.eval(&term.expression, context.as_ref(), &frame)?);
            }
            keyed.push((keys, t));
        }
        let sorted = merge_sort(keyed, &mut |a, b| Self::sort_swap(terms, &a.0, &b.0))?;
        Ok(sorted.into_iter().map(|(_, t)| t).collect())
    }
}
