//! Mermaid flowcharts: a `flowchart TD` with one node per state (shape by type), Parallel and
//! Map states as subgraphs holding their branches, and every edge listed after the nodes so
//! that each node belongs to the subgraph that declares it. Labels are always quoted, with
//! Mermaid's `#…;` entity codes for the characters its parser would read (`%` included, so a
//! state named `%%{init: …}%%` never becomes a directive). Ids are built from ASCII letters,
//! digits and `_` only ([`super::node_id`]).

use super::{walk_nodes, Diagram, Edge, EdgeKind, Node, Scope};
use crate::model::StateType;

const INDENT: &str = "    ";

/// The diagram as Mermaid source, ending with a newline.
pub fn render(diagram: &Diagram) -> String {
    let mut out = String::from("flowchart TD\n");
    scope(&mut out, &diagram.root, 1);
    let mut collected = Vec::new();
    collect_edges(&diagram.root, &mut collected);
    let owned = attach_to_containers(diagram, &collected);
    let edges: Vec<&Edge> = owned.iter().collect();
    for e in &edges {
        out.push_str(INDENT);
        out.push_str(&edge(e));
        out.push('\n');
    }
    if diagram.traced || diagram.coverage {
        out.push_str(&format!(
            "{INDENT}classDef visited fill:#dcf5dc,stroke:#2e7d32,stroke-width:2px\n"
        ));
        let visited: Vec<&str> = walk_nodes(&diagram.root)
            .into_iter()
            .filter(|n| n.visited)
            .map(|n| n.id.as_str())
            .collect();
        if !visited.is_empty() {
            out.push_str(&format!("{INDENT}class {} visited\n", visited.join(",")));
        }
        let taken: Vec<String> = edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.taken)
            .map(|(i, _)| i.to_string())
            .collect();
        if !taken.is_empty() {
            out.push_str(&format!(
                "{INDENT}linkStyle {} stroke:#2e7d32,stroke-width:3px\n",
                taken.join(",")
            ));
        }
    }
    if diagram.coverage {
        uncovered(&mut out, diagram, &edges);
    }
    out
}

/// With coverage, what the tests never reached: faded, dashed nodes and edges.
fn uncovered(out: &mut String, diagram: &Diagram, edges: &[&Edge]) {
    out.push_str(&format!(
        "{INDENT}classDef uncovered fill:#f5f5f5,stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575\n"
    ));
    let nodes: Vec<&str> = walk_nodes(&diagram.root)
        .into_iter()
        .filter(|n| !n.visited)
        .map(|n| n.id.as_str())
        .collect();
    if !nodes.is_empty() {
        out.push_str(&format!("{INDENT}class {} uncovered\n", nodes.join(",")));
    }
    let missed: Vec<String> = edges
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.taken)
        .map(|(i, _)| i.to_string())
        .collect();
    if !missed.is_empty() {
        out.push_str(&format!(
            "{INDENT}linkStyle {} stroke:#bdbdbd,stroke-dasharray:4 3\n",
            missed.join(",")
        ));
    }
}

fn scope(out: &mut String, s: &Scope, depth: usize) {
    let pad = INDENT.repeat(depth);
    out.push_str(&format!("{pad}{}((\"start\"))\n", s.start_id()));
    for n in &s.nodes {
        node(out, n, depth);
    }
    out.push_str(&format!("{pad}{}(((\"end\")))\n", s.end_id()));
}

fn node(out: &mut String, n: &Node, depth: usize) {
    let pad = INDENT.repeat(depth);
    let label = format!("{}<br/>{}", escape(&n.name), escape(&n.caption()));
    if !n.children.is_empty() {
        out.push_str(&format!("{pad}subgraph {}[\"{label}\"]\n", n.id));
        out.push_str(&format!("{pad}{INDENT}direction TB\n"));
        out.push_str(&format!("{pad}{INDENT}{}((\" \"))\n", entry_id(&n.id)));
        out.push_str(&format!("{pad}{INDENT}{}((\" \"))\n", exit_id(&n.id)));
        for child in &n.children {
            out.push_str(&format!(
                "{pad}{INDENT}subgraph {}[\"{}\"]\n",
                child.id,
                escape(&child.title)
            ));
            out.push_str(&format!("{pad}{INDENT}{INDENT}direction TB\n"));
            scope(out, child, depth + 2);
            out.push_str(&format!("{pad}{INDENT}end\n"));
        }
        out.push_str(&format!("{pad}end\n"));
        return;
    }
    let (open, close) = match n.kind {
        Some(StateType::Choice) => ("{", "}"),
        Some(StateType::Pass) => ("(", ")"),
        Some(StateType::Wait) => ("[/", "/]"),
        Some(StateType::Succeed) => ("([", "])"),
        Some(StateType::Fail) => (">", "]"),
        Some(StateType::Parallel | StateType::Map) => ("[[", "]]"),
        Some(StateType::Task) | None => ("[", "]"),
    };
    out.push_str(&format!("{pad}{}{open}\"{label}\"{close}\n", n.id));
}

/// Mermaid's layout fails ("Cannot set properties of undefined (setting 'rank')") when edges
/// attach to subgraphs nested several levels deep, so no edge names a subgraph: an edge into a
/// Parallel or Map ends at its entry node, an edge out of it starts at its exit node, and the
/// entry and exit are wired to every branch's start and end.
fn attach_to_containers(diagram: &Diagram, edges: &[&Edge]) -> Vec<Edge> {
    let containers: Vec<&Node> = walk_nodes(&diagram.root)
        .into_iter()
        .filter(|n| !n.children.is_empty())
        .collect();
    let is_container = |id: &str| containers.iter().any(|n| n.id == id);
    let mut out: Vec<Edge> = edges
        .iter()
        .map(|e| {
            let mut e = (*e).clone();
            if is_container(&e.from) {
                e.from = exit_id(&e.from);
            }
            if is_container(&e.to) {
                e.to = entry_id(&e.to);
            }
            e
        })
        .collect();
    for n in containers {
        for child in &n.children {
            let wire = |from: String, to: String| Edge {
                from,
                to,
                kind: EdgeKind::Next,
                label: None,
                taken: n.visited,
            };
            out.push(wire(entry_id(&n.id), child.start_id()));
            out.push(wire(child.end_id(), exit_id(&n.id)));
        }
    }
    out
}

fn entry_id(container: &str) -> String {
    format!("{container}_in")
}

fn exit_id(container: &str) -> String {
    format!("{container}_out")
}

fn collect_edges<'d>(s: &'d Scope, out: &mut Vec<&'d Edge>) {
    out.extend(&s.edges);
    for n in &s.nodes {
        for child in &n.children {
            collect_edges(child, out);
        }
    }
}

fn edge(e: &Edge) -> String {
    let arrow = if e.kind == EdgeKind::Catch { "-.->" } else { "-->" };
    match &e.label {
        Some(label) => format!("{} {arrow}|\"{}\"| {}", e.from, escape(label), e.to),
        None => format!("{} {arrow} {}", e.from, e.to),
    }
}

/// Text inside a quoted Mermaid label.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            // Mermaid reads `%%{…}%%` anywhere in the source as a directive (`init` sets the
            // theme and CSS) and `%%` as a comment.
            '%' => out.push_str("#37;"),
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
    fn escapes_what_mermaid_would_parse() {
        assert_eq!(escape(r#"a "b" #1 <x> | ü"#), "a #quot;b#quot; #35;1 #lt;x#gt; #124; ü");
    }

    /// Issue 12: a state name must not become a Mermaid directive or comment.
    #[test]
    fn percent_signs_never_reach_mermaid() {
        assert_eq!(escape("%%{init: {}}%%"), "#37;#37;{init: {}}#37;#37;");
        assert_eq!(escape("%%{x"), "#37;#37;{x");
    }
}
