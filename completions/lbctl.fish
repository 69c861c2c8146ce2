# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lbctl_global_optspecs
    string join \n region= profile= endpoint-url= no-color v/verbose q/quiet api-throttle= api-timeout= h/help V/version
end

function __fish_lbctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lbctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lbctl_using_subcommand
    set -l cmd (__fish_lbctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lbctl -n "__fish_lbctl_needs_command" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_needs_command" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_needs_command" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_needs_command" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_needs_command" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_needs_command" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_needs_command" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbctl -n "__fish_lbctl_needs_command" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "validate" -d 'Parse and check spec files offline; makes no AWS call'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "plan" -d 'Show what apply would change'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "apply" -d 'Make live AWS match the spec'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "targets" -d 'Inspect and change the targets of a target group (one-off operations)'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "export" -d 'Print live state as a v1 spec'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "destroy" -d 'Delete everything a stack owns, DNS included: plan against an empty spec of the stack, show it, confirm, apply'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "shift" -d 'Move traffic step by step to one target group of a weighted forward, or to one member of a weighted Route 53 record set (canary, blue/green), gated on its health'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "schema" -d 'Print the JSON Schema of the spec format (for editors)'
complete -c lbctl -n "__fish_lbctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -s f -l file -d 'Spec file; repeat to merge several files' -r -F
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand validate" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -s f -l file -d 'Spec file; repeat to merge several files' -r -F
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
markdown\t'For pull-request comments: a summary table and one collapsible section per step'"
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l ttl-warning -d 'Warn when a record set that changes has a TTL above this (seconds)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l max-delete-share -d 'Largest share of the stack\'s target groups and load balancers one apply may delete [default: 30%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l max-record-delete-share -d 'Largest share of the stack\'s record sets one apply may delete [default: 30%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l max-target-removal-share -d 'Largest share of a target group\'s targets one apply may deregister [default: 50%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l max-weight-removal-share -d 'Largest share of a weighted record set\'s or forward\'s weight that may go to removed members [default: 50%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l out -d 'Also save the plan to this file, for `lbctl apply PLAN`' -r -F
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l detailed-exitcode -d 'Exit 2 when there are changes, 0 when there are none'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l adopt -d 'Plan as if resources the stack does not own were to be adopted'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l allow-load-balancer-delete -d 'Allow deleting or replacing load balancers (not deletion-protected ones)'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l traffic -d 'Also show each target\'s expected share of traffic after apply, and failover times (text and markdown output)'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbctl -n "__fish_lbctl_using_subcommand plan" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -s f -l file -d 'Spec file; repeat to merge several files' -r -F
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l max-delete-share -d 'Largest share of the stack\'s target groups and load balancers one apply may delete [default: 30%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l max-record-delete-share -d 'Largest share of the stack\'s record sets one apply may delete [default: 30%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l max-target-removal-share -d 'Largest share of a target group\'s targets one apply may deregister [default: 50%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l max-weight-removal-share -d 'Largest share of a weighted record set\'s or forward\'s weight that may go to removed members [default: 50%]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l ttl-warning -d 'Warn when a record set that changes has a TTL above this (seconds)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l health-timeout -d 'Before a listener or rule switches traffic to a target group this apply created, wait at most this long for its targets to be healthy (`30s`, `5m`; `0` switches without waiting)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l lower-ttl-to -d 'The TTL, in seconds, that --lower-ttl-first lowers to' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -s o -l output -d 'How to print what apply made (load balancers\' DNS names, record sets); with `json` the plan goes to stderr' -r -f -a "text\t''
json\t'One JSON object on stdout: `{"load_balancers": [...], "record_sets": [...]}`'"
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l auto-approve -d 'Do not ask for confirmation'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l force -d 'Go on despite failed safety checks (never past deletion protection)'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l allow-load-balancer-delete -d 'Allow deleting or replacing load balancers (not deletion-protected ones)'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l adopt -d 'Take over resources with spec names that the stack does not own yet'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l no-wait -d 'Do not wait for Route 53 changes to reach every name server (INSYNC)'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l lower-ttl-first -d 'Before changing a record set with a long TTL, lower its TTL and wait out the old one, so resolvers pick the change up quickly'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbctl -n "__fish_lbctl_using_subcommand apply" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -f -a "list" -d 'Registered targets with port, zone, state and reason'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -f -a "health" -d 'Same as `list`'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -f -a "register" -d 'Register targets (`ID` or `ID:PORT`)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -f -a "deregister" -d 'Deregister targets (`ID` or `ID:PORT`), keeping enough healthy ones'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and not __fish_seen_subcommand_from list health register deregister help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from health" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -s o -l output -d 'Output format: text, or one JSON object with the plan that ran and the executor\'s report' -r -f -a "text\t''
json\t'One JSON object on stdout: the plan(s) that ran and what happened'"
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l wait -d 'Wait until the targets are healthy'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from register" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l min-healthy -d 'Healthy targets that must remain: a count (`2`) or a share (`50%`)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -s o -l output -d 'Output format: text, or one JSON object with the plan that ran and the executor\'s report' -r -f -a "text\t''
json\t'One JSON object on stdout: the plan(s) that ran and what happened'"
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l wait -d 'Wait until draining is over (up to the deregistration delay)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l force -d 'Deregister even if fewer healthy targets would remain'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from deregister" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "list" -d 'Registered targets with port, zone, state and reason'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "health" -d 'Same as `list`'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "register" -d 'Register targets (`ID` or `ID:PORT`)'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "deregister" -d 'Deregister targets (`ID` or `ID:PORT`), keeping enough healthy ones'
complete -c lbctl -n "__fish_lbctl_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l stack -d 'Everything tagged `lbctl:stack=STACK`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l load-balancer -d 'A load balancer by name, with its listeners and target groups; repeatable' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l zone -d 'A hosted zone by name; repeatable' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l stack -d 'The stack to destroy: every load balancer, target group, record set (in every zone) and health check it owns' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l auto-approve -d 'Do not ask for confirmation'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l force -d 'Go on despite failed safety checks (never past deletion protection)'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l no-wait -d 'Do not wait for Route 53 changes to reach every name server (INSYNC)'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand destroy" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l rule -d 'Shift the forward of the listener\'s rule with this priority instead of its default action' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l record -d 'Shift between the members of this weighted Route 53 record set instead of a listener: its name in `--zone` (`api`, `@` for the apex, a trailing dot for an absolute name)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l zone -d 'The hosted zone of `--record`: a name (`example.com`) or an ID (`Z123...`)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l type -d 'The type of `--record` [default: A]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l to -d 'The target group (with `--record`: the set identifier) that receives the traffic' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l steps -d 'The receiving target group\'s (or member\'s) share after each step, in percent, increasing (e.g. `10,25,50,100`)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l interval -d 'Time between two steps (`30s`, `2m`, `0`)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l min-healthy -d 'Healthy targets the receiving side\'s target group(s) need before each step: a count (`2`) or a share of their registered targets (`50%`) [default: 1]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l target-group -d 'With `--record`: gate each step on the health of this target group instead of the receiving member\'s load balancer or health check' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l probe -d 'Also gate each step on an HTTP GET of this URL (http:// only; 2xx/3xx passes)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -s f -l file -d 'The spec that declares this listener or record set: print the change that makes the new weights permanent, as a diff' -r -F
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -s o -l output -d 'Output format: text, or one JSON object with each step\'s plan and outcome and the final weights' -r -f -a "text\t''
json\t'One JSON object on stdout: the plan(s) that ran and what happened'"
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l no-gate -d 'Shift without a health gate on the receiving side, for members with plain values and no health check (one record per instance); `--probe` still gates'
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lbctl -n "__fish_lbctl_using_subcommand shift" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -l region -d 'AWS region where the spec names none (a spec\'s `region:` wins; a different --region is an error); else AWS_REGION or the profile' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -l profile -d 'AWS profile from the shared config files' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -l endpoint-url -d 'Endpoint for every AWS service (e.g. a local moto server)' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -l api-throttle -d 'Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing the matching defaults (AWS\'s documented buckets: elbv2 10:40, RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe* 20:100), or `off`' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -l api-timeout -d 'The longest one AWS call may take, retries included (`30s`, `2m`); connecting gives up after 10s. A call that takes longer fails, naming the endpoint [default: 60s]' -r
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -l no-color -d 'Never use colour (NO_COLOR is honoured too)'
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -s v -l verbose -d 'More detail on stderr (-v: API call counts and SDK warnings, -vv: each AWS call with its status and time, -vvv: the SDK\'s debug log)'
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -s q -l quiet -d 'Only errors on stderr'
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -s h -l help -d 'Print help'
complete -c lbctl -n "__fish_lbctl_using_subcommand schema" -s V -l version -d 'Print version'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "validate" -d 'Parse and check spec files offline; makes no AWS call'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "plan" -d 'Show what apply would change'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "apply" -d 'Make live AWS match the spec'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "targets" -d 'Inspect and change the targets of a target group (one-off operations)'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "export" -d 'Print live state as a v1 spec'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "destroy" -d 'Delete everything a stack owns, DNS included: plan against an empty spec of the stack, show it, confirm, apply'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "shift" -d 'Move traffic step by step to one target group of a weighted forward, or to one member of a weighted Route 53 record set (canary, blue/green), gated on its health'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "completions" -d 'Print shell completions'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "schema" -d 'Print the JSON Schema of the spec format (for editors)'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and not __fish_seen_subcommand_from validate plan apply targets export destroy shift completions schema help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and __fish_seen_subcommand_from targets" -f -a "list" -d 'Registered targets with port, zone, state and reason'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and __fish_seen_subcommand_from targets" -f -a "health" -d 'Same as `list`'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and __fish_seen_subcommand_from targets" -f -a "register" -d 'Register targets (`ID` or `ID:PORT`)'
complete -c lbctl -n "__fish_lbctl_using_subcommand help; and __fish_seen_subcommand_from targets" -f -a "deregister" -d 'Deregister targets (`ID` or `ID:PORT`), keeping enough healthy ones'
