# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aslkit_global_optspecs
    string join \n h/help V/version
end

function __fish_aslkit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aslkit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aslkit_using_subcommand
    set -l cmd (__fish_aslkit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aslkit -n "__fish_aslkit_needs_command" -s h -l help -d 'Print help'
complete -c aslkit -n "__fish_aslkit_needs_command" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "validate" -d 'Report what AWS would reject on CreateStateMachine, with exact locations'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "lint" -d 'Validate, then review what will hurt in production: timeouts, retries, error handling, loops, variables (configured by aslkit.toml)'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "diagram" -d 'Draw a state machine as a Mermaid or Graphviz DOT diagram'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "eval" -d 'Evaluate one JSONata or JSONPath expression as a state would'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "simulate" -d 'Run a state machine locally against mocked task results (Step Functions Local mocks)'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "test" -d 'Run test suites: inputs, mocks and expected outcomes of state machines'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "rules" -d 'List every rule: code, name, default severity, group (validate or lint), fixable, summary'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "explain" -d 'Print the documentation of one rule'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c aslkit -n "__fish_aslkit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aslkit -n "__fish_aslkit_using_subcommand validate" -l format -d 'Output format' -r -f -a "human\t'Rich, rustc-style reports with source excerpts'
json\t'The JSON report described in the README (version 1)'
json-lines\t'One JSON object per finding per line: the JSON report\'s fields and the file\'s path'
sarif\t'SARIF 2.1.0, for code-scanning dashboards (see --sarif-root)'
github\t'GitHub Actions workflow commands (annotations on pull requests)'
junit\t'JUnit XML: a testcase per file, a failure per finding that fails the run'"
complete -c aslkit -n "__fish_aslkit_using_subcommand validate" -l type -d 'The kind of state machine: some integrations exist only for one kind (a template\'s StateMachineType wins)' -r -f -a "standard\t''
express\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand validate" -l color -d 'When to use colour in human output (never when NO_COLOR is set)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand validate" -l sarif-root -d 'With --format sarif: write locations relative to this folder (`%SRCROOT%`) instead of the working directory; paths outside it become absolute file:// URIs' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aslkit -n "__fish_aslkit_using_subcommand validate" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l format -d 'Output format' -r -f -a "human\t'Rich, rustc-style reports with source excerpts'
json\t'The JSON report described in the README (version 1)'
json-lines\t'One JSON object per finding per line: the JSON report\'s fields and the file\'s path'
sarif\t'SARIF 2.1.0, for code-scanning dashboards (see --sarif-root)'
github\t'GitHub Actions workflow commands (annotations on pull requests)'
junit\t'JUnit XML: a testcase per file, a failure per finding that fails the run'"
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l type -d 'The kind of state machine: some integrations exist only for one kind (a template\'s StateMachineType wins)' -r -f -a "standard\t''
express\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l color -d 'When to use colour in human output (never when NO_COLOR is set)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l sarif-root -d 'With --format sarif: write locations relative to this folder (`%SRCROOT%`) instead of the working directory; paths outside it become absolute file:// URIs' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l fail-on -d 'The least severe finding that makes the exit code 1' -r -f -a "error\t''
warning\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l select -d 'Run only these rules: codes (ASL302), prefixes (ASL3), names or ALL; comma-separated (replaces the configuration\'s `select`)' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l ignore -d 'Do not run these rules (added to the configuration\'s `ignore`)' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l config -d 'Use this configuration file for every input instead of the nearest aslkit.toml above each file' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l exit-zero -d 'Exit 0 whatever the findings (2 still means the input could not be checked)'
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l show-settings -d 'Print the resolved settings (configuration file, selection, severities, rules that run) for each file instead of checking it'
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l fix -d 'Apply the safe fixes (renames of deprecated Map keys, a missing `.$`, duplicate retriers) in place, then report what is left'
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -l diff -d 'Print the safe fixes as a unified diff without writing (exit 1 when there is one)'
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aslkit -n "__fish_aslkit_using_subcommand lint" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -l machine -d 'The state machine to draw when DEF is a template holding several (its logical id)' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -l format -d 'Output format' -r -f -a "mermaid\t'A Mermaid flowchart (renders on GitHub and GitLab in a ```mermaid block)'
dot\t'Graphviz DOT'"
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -l trace -d 'Highlight the states entered and edges taken in a run (`aslkit simulate --format json`)' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -l markdown -d 'Rewrite the diagram between `<!-- aslkit-diagram: DEF -->` and `<!-- /aslkit-diagram -->` in this Markdown file instead of printing it' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -l coverage -d 'Draw covered and uncovered states and edges distinctly (`aslkit test --coverage-out`)' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -l check -d 'With --markdown: change nothing, exit 1 when the diagram in the file is stale'
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aslkit -n "__fish_aslkit_using_subcommand diagram" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand eval" -l query-language -d 'The expression\'s language: JSONata 2.0.6 (bare or in `{% … %}`), or a JSONPath / intrinsic function call as in a `….$` field' -r -f -a "jsonata\t''
jsonpath\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand eval" -l input -d 'A JSON file holding the input `$` (`-` for standard input); without it the input is undefined, not `{}`' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand eval" -l bindings -d 'A JSON object file whose members become `$name` variables' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand eval" -l format -d 'Output format: the value as JSON, or {"value": …} / {"undefined": true} / {"error": …}' -r -f -a "human\t''
json\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aslkit -n "__fish_aslkit_using_subcommand eval" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l machine -d 'The state machine to run when DEF is a template holding several (its logical id)' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l input -d 'A JSON file holding the execution input (`-` for standard input) [default: {}]' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l mock-config -d 'A Step Functions Local MockConfigFile.json' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l test-case -d 'The test case of the mock configuration to run' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l state-machine -d 'The state machine of the mock configuration (defaults to its only one)' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l s3-root -d 'A directory standing in for S3: ItemReader reads s3://bucket/key from DIR/bucket/key' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l format -d 'Output format: `history` prints the execution history as GetExecutionHistory returns it' -r -f -a "human\t''
json\t''
history\t'The execution history: `{"events": [...]}` in the shape of GetExecutionHistory'"
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l type -d 'The kind of state machine: the limits differ (a template\'s StateMachineType wins)' -r -f -a "standard\t''
express\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l memory-mb -d 'Express cost estimate: the memory the workflow uses, in MB' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l prices -d 'A JSON object overriding the price table: per_transition, per_request, per_gb_second (US dollars) and as_of (the date the prices were taken)' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -l stats -d 'Also report the run\'s duration, each state\'s share, the critical path and a cost estimate (in JSON output: a `stats` member)'
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aslkit -n "__fish_aslkit_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l format -d 'Output format' -r -f -a "human\t'A line per test, diffs for failures, a closing count'
json\t'The JSON report (version 1)'
junit\t'JUnit XML: a testsuite per suite file, a testcase per test'"
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l filter -d 'Run only the tests whose name contains TEXT' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l coverage-out -d 'Write the coverage as JSON to FILE (for `aslkit diagram --coverage FILE`)' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l mock-config -d 'Run every test case of this Step Functions Local MockConfigFile.json against the definition given as PATH, reporting each outcome' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l state-machine -d 'With --mock-config: the state machine of the mock configuration (defaults to the one named after the definition, or its only one)' -r
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l input -d 'With --mock-config: a JSON file holding the input of every test case [default: {}]' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l s3-root -d 'With --mock-config: a directory standing in for S3 (ItemReader reads s3://bucket/key from DIR/bucket/key)' -r -F
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l color -d 'When to use colour in human output (never when NO_COLOR is set)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l update -d 'Write the actual outputs of failing `output` expectations into the suite files'
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -l coverage -d 'Report which states, Choice rules, Catch edges and retriers the tests exercised'
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aslkit -n "__fish_aslkit_using_subcommand test" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand rules" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c aslkit -n "__fish_aslkit_using_subcommand rules" -s h -l help -d 'Print help'
complete -c aslkit -n "__fish_aslkit_using_subcommand rules" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand explain" -s h -l help -d 'Print help'
complete -c aslkit -n "__fish_aslkit_using_subcommand explain" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c aslkit -n "__fish_aslkit_using_subcommand completions" -s V -l version -d 'Print version'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "validate" -d 'Report what AWS would reject on CreateStateMachine, with exact locations'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "lint" -d 'Validate, then review what will hurt in production: timeouts, retries, error handling, loops, variables (configured by aslkit.toml)'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "diagram" -d 'Draw a state machine as a Mermaid or Graphviz DOT diagram'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "eval" -d 'Evaluate one JSONata or JSONPath expression as a state would'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "simulate" -d 'Run a state machine locally against mocked task results (Step Functions Local mocks)'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "test" -d 'Run test suites: inputs, mocks and expected outcomes of state machines'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "rules" -d 'List every rule: code, name, default severity, group (validate or lint), fixable, summary'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "explain" -d 'Print the documentation of one rule'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "completions" -d 'Print a shell completion script to standard output'
complete -c aslkit -n "__fish_aslkit_using_subcommand help; and not __fish_seen_subcommand_from validate lint diagram eval simulate test rules explain completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
