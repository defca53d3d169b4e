# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for llmroof: subcommands, their options, parameter paths
# (after --set, --explain, --vary, --spread, --param), profile names (after
# --hw) and output formats. Everything is asked of llmroof itself (its
# --help texts, 'llmroof params', 'llmroof hw list'), so the completion
# follows the binary it completes. Installed as
# share/bash-completion/completions/llmroof.
_llmroof()
{
    local cur prev cmd words_help
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev=""
    [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD-1]}"
    local prog="${COMP_WORDS[0]}"
    cmd=""
    [ "$COMP_CWORD" -gt 1 ] && cmd="${COMP_WORDS[1]}"

    case "$prev" in
    --hw)
        COMPREPLY=($(compgen -W "$("$prog" hw list --format csv 2>/dev/null | sed '1d; s/,.*//')" -- "$cur")
                   $(compgen -f -X '!*.cfg' -- "$cur"))
        return 0
        ;;
    --set | --explain | --vary | --spread | --param)
        local paths
        paths=$("$prog" params --format csv 2>/dev/null | sed '1d; s/,.*//')
        if [ "$prev" = --set ] || [ "$prev" = --spread ]; then
            compopt -o nospace 2>/dev/null
            COMPREPLY=($(compgen -W "$paths" -S '=' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$paths" -- "$cur"))
        fi
        return 0
        ;;
    --model)
        COMPREPLY=($(compgen -f -X '!*.json' -- "$cur"))
        return 0
        ;;
    --format)
        COMPREPLY=($(compgen -W "table csv json" -- "$cur"))
        return 0
        ;;
    -o | --output | --data | --script)
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
        ;;
    esac

    if [ "$COMP_CWORD" -eq 1 ]; then
        local cmds
        cmds=$("$prog" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\).*/\1/p')
        COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
        return 0
    fi
    if [[ "$cur" == -* ]]; then
        words_help=$("$prog" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
        COMPREPLY=($(compgen -W "$words_help" -- "$cur"))
        return 0
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
}
complete -F _llmroof llmroof
