//! Graphviz DOT: one node per state (shape by type), Parallel and Map states as clusters
//! whose first node is the state itself, with a dotted edge to each branch's start marker (DOT
//! edges cannot end on a cluster; `compound=true` clips the state's own edges at the cluster's
//! border instead). Ids are the pointer-derived ones; labels are quoted DOT
//! strings.

use super::{walk_nodes, Diagram, Edge, EdgeKind, Node, Scope};
use std::collections::HashSet;

use crate::model::StateType;

const INDENT: &str = "  ";
const HIGHLIGHT: &str = "#2e7d32";
/// What coverage shows as never exercised.
const FADED: &str = "#9e9e9e";

/// The diagram as DOT source, ending with a newline.
pub fn render(diagram: &Diagram) -> String {
    let mut out = String::from("digraph aslkit {\n");
    out.push_str(&format!("{INDENT}compound=true;\n"));
    out.push_str(&format!("{INDENT}node [fontname=\"Helvetica\", fontsize=11];\n"));
    out.push_str(&format!("{INDENT}edge [fontname=\"Helvetica\", fontsize=10];\n"));
    scope(&mut out, &diagram.root, 1, diagram.coverage);
    let clusters: HashSet<&str> = walk_nodes(&diagram.root)
        .into_iter()
        .filter(|n| !n.children.is_empty())
        .map(|n| n.id.as_str())
        .collect();
    edges(&mut out, &diagram.root, &clusters, diagram.coverage);
    // Every node is declared before any edge, so each stays in its cluster.
    out.push_str("}\n");
    out
}

fn scope(out: &mut String, s: &Scope, depth: usize, coverage: bool) {
    let pad = INDENT.repeat(depth);
    out.push_str(&format!(
        "{pad}{} [shape=circle, width=0.3, fixedsize=true, fontsize=8, label=\"start\"];\n",
        s.start_id()
    ));
    for n in &s.nodes {
        node(out, n, depth, coverage);
    }
    out.push_str(&format!(
        "{pad}{} [shape=doublecircle, width=0.3, fixedsize=true, fontsize=8, label=\"end\"];\n",
        s.end_id()
    ));
}

fn node(out: &mut String, n: &Node, depth: usize, coverage: bool) {
    let pad = INDENT.repeat(depth);
    let shape = match n.kind {
        Some(StateType::Choice) => "shape=diamond",
        Some(StateType::Pass) => "shape=box, style=rounded",
        Some(StateType::Wait) => "shape=parallelogram",
        Some(StateType::Succeed) => "shape=oval",
        Some(StateType::Fail) => "shape=octagon",
        Some(StateType::Parallel | StateType::Map) => "shape=box3d",
        Some(StateType::Task) => "shape=box",
        None => "shape=box, style=dashed",
    };
    let highlight = if n.visited {
        format!(", style=filled, fillcolor=\"#dcf5dc\", color=\"{HIGHLIGHT}\", penwidth=2")
    } else if coverage {
        format!(", style=\"dashed,filled\", fillcolor=\"#f5f5f5\", color=\"{FADED}\", fontcolor=\"#757575\"")
    } else {
        String::new()
    };
    let declaration = format!(
        "{} [{shape}{highlight}, label=\"{}\\n{}\"];\n",
        n.id,
        escape(&n.name),
        escape(&n.caption())
    );
    if n.children.is_empty() {
        out.push_str(&pad);
        out.push_str(&declaration);
        return;
    }
    out.push_str(&format!("{pad}subgraph cluster_{} {{\n", n.id));
    out.push_str(&format!("{pad}{INDENT}label=\"\";\n{pad}{INDENT}style=rounded;\n"));
    out.push_str(&format!("{pad}{INDENT}{declaration}"));
    for child in &n.children {
        out.push_str(&format!("{pad}{INDENT}subgraph cluster_{} {{\n", child.id));
        out.push_str(&format!(
            "{pad}{INDENT}{INDENT}label=\"{}\";\n{pad}{INDENT}{INDENT}style=dashed;\n",
            escape(&child.title)
        ));
        scope(out, child, depth + 2, coverage);
        out.push_str(&format!("{pad}{INDENT}}}\n"));
    }
    out.push_str(&format!("{pad}}}\n"));
}

/// Every edge; one that starts or ends at a Parallel or Map state is clipped at its cluster's
/// border (`ltail`/`lhead`), so it reads as leaving or entering the whole box.
fn edges(out: &mut String, s: &Scope, clusters: &HashSet<&str>, coverage: bool) {
    for e in &s.edges {
        out.push_str(INDENT);
        out.push_str(&edge(e, clusters, coverage));
    }
    for n in &s.nodes {
        for child in &n.children {
            out.push_str(&format!(
                "{INDENT}{} -> {} [style=dotted, arrowhead=none];\n",
                n.id,
                child.start_id()
            ));
            edges(out, child, clusters, coverage);
        }
    }
}

fn edge(e: &Edge, clusters: &HashSet<&str>, coverage: bool) -> String {
    let mut attributes = Vec::new();
    if clusters.contains(e.from.as_str()) && e.from != e.to {
        attributes.push(format!("ltail=cluster_{}", e.from));
    }
    if clusters.contains(e.to.as_str()) && e.from != e.to {
        attributes.push(format!("lhead=cluster_{}", e.to));
    }
    if e.kind == EdgeKind::Catch {
        attributes.push("style=dashed".to_string());
    }
    if let Some(label) = &e.label {
        attributes.push(format!("label=\"{}\"", escape(label)));
    }
    if e.taken {
        attributes.push(format!("color=\"{HIGHLIGHT}\", penwidth=3"));
    } else if coverage {
        attributes.retain(|a| a != "style=dashed");
        attributes.push(format!("color=\"{FADED}\", style=dashed"));
    }
    if attributes.is_empty() {
        format!("{} -> {};\n", e.from, e.to)
    } else {
        format!("{} -> {} [{}];\n", e.from, e.to, attributes.join(", "))
    }
}

/// Text inside a quoted DOT string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_and_backslashes() {
        assert_eq!(escape(r#"a "b" \ é"#), r#"a \"b\" \\ é"#);
    }
}
