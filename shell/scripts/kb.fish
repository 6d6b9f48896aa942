# kb for fish: the team's cheatsheet at the prompt. Served by @KB_URL@/shell/kb.fish
#
#   curl -fsS @KB_URL@/shell/kb.fish | source     # in ~/.config/fish/config.fish
#
#   kb <task words>     numbered commands for a task; pick one and it waits on the next prompt
#   kb -s <words>       search the notes: titles and links
#   Ctrl-G              look up the words on the command line and replace it with the command
#
# KB_URL, KB_TOKEN (from /accounts/tokens/) come from the environment or
# ${XDG_CONFIG_HOME:-~/.config}/kb/config (KEY=value lines). KB_KEY picks the key
# (ctrl-g, ctrl-o, ... or fish's own \cx; "none" for no key), KB_FZF=0 uses the
# numbered menu even where fzf is installed. Nothing found is ever run: the
# widget only edits the command line.

# @KB_SETTINGS@

function _kb_say
    printf 'kb: %s\n' $argv[1] >&2
end

function _kb_config
    set -g _kb_url "$KB_URL"
    set -g _kb_token "$KB_TOKEN"
    set -l dir ~/.config
    set -q XDG_CONFIG_HOME; and test -n "$XDG_CONFIG_HOME"; and set dir $XDG_CONFIG_HOME
    if test -r $dir/kb/config
        while read -l line
            set -l m (string match -r '^\s*(?:export\s+)?(KB_URL|KB_TOKEN)\s*=\s*(.*\S)\s*$' -- $line)
            or continue
            set -l val $m[3]
            if string match -qr '^(".*"|\'.*\')$' -- $val
                set val (string sub -s 2 -e -1 -- $val)
            end
            # The environment wins over the file.
            if test $m[2] = KB_URL; and test -z "$KB_URL"
                set _kb_url $val
            else if test $m[2] = KB_TOKEN; and test -z "$KB_TOKEN"
                set _kb_token $val
            end
        end <$dir/kb/config
    end
    test -n "$_kb_url"; or set _kb_url $_kb_default_url
    set _kb_url (string replace -r '/$' '' -- $_kb_url)
    if test -z "$_kb_url"
        _kb_say $_kb_m_no_url
        return 1
    end
    if test -n "$_kb_token"; and not string match -qr '^[A-Za-z0-9_-]+$' -- $_kb_token
        _kb_say $_kb_m_bad_config
        return 1
    end
end

# _kb_get PATH QUERY MODE: GET $KB_URL/PATH?q=QUERY, records from kb.awk in $_kb_out.
function _kb_get
    _kb_config; or return 1
    set -q KB_TIMEOUT; or set -l KB_TIMEOUT 10
    set -q KB_LIMIT; or set -l KB_LIMIT 10
    # The token goes to curl on its stdin (-K -): never in argv, a URL or history.
    set -l out (
        if test -n "$_kb_token"
            printf 'header = "Authorization: Bearer %s"\n' $_kb_token
        end | curl -sS -K - -G --max-time $KB_TIMEOUT -H 'Accept: application/json' \
            --data-urlencode "q=$argv[2]" --data "limit=$KB_LIMIT" --data "lang=$_kb_lang" -w '\n%{http_code}' "$_kb_url/$argv[1]" 2>/dev/null)
    # curl writes 000 as the status when it reached nothing.
    set -l http $out[-1]
    set -e out[-1]
    switch "$http"
        case 200
        case 401
            if test -n "$_kb_token"
                _kb_say (printf $_kb_m_bad_token $_kb_url)
            else
                _kb_say (printf $_kb_m_no_token $_kb_url $_kb_url)
            end
            return 1
        case 403
            _kb_say (printf $_kb_m_forbidden $_kb_url)
            return 1
        case 000 ''
            _kb_say (printf $_kb_m_unreachable $_kb_url)
            return 1
        case '*'
            _kb_say (printf $_kb_m_http $_kb_url $http)
            return 1
    end
    set -g _kb_out (printf '%s\n' $out | LC_ALL=C awk -v mode=$argv[3] $_kb_awk)
    if string match -q 'X*' -- "$_kb_out[1]"
        _kb_say (printf $_kb_m_bad_response $_kb_url)": "(string sub -s 3 -- $_kb_out[1])
        return 1
    end
end

# Entries (E records) into $_kb_E, placeholders (P records) into $_kb_P.
function _kb_lookup
    set -g _kb_E
    set -g _kb_P
    _kb_get api/lookup $argv[1] lookup; or return 1
    set _kb_E (string match 'E*' -- $_kb_out)
    set _kb_P (string match 'P*' -- $_kb_out)
    if test (count $_kb_E) -eq 0
        _kb_say (printf $_kb_m_nothing $argv[1])
        return 1
    end
end

# The numbered list: command, then task and source note (and its link when asked).
function _kb_list
    for line in $_kb_E
        set -l f (string split \x1f -- $line)
        set -l flag ''
        test $f[3] = 1; or set flag ' [!]'
        printf '%2d) %s%s\n' $f[2] $f[5] $flag
        if test -n "$f[7]"
            printf '    %s — %s\n' $f[6] $f[7]
        else
            printf '    %s\n' $f[6]
        end
        if test -n "$argv[1]"; and test -n "$f[8]"
            printf '    %s\n' $f[8]
        end
    end
end

# _kb_ask PROMPT: one line from the terminal into $_kb_ans; fails on end of input.
function _kb_ask
    set -g _kb_ans ''
    # A plain line from the terminal rather than fish's `read`, whose editor
    # would race the command line's own repaint inside a key binding.
    printf '%s' $argv[1] >/dev/tty
    set -l line (head -n 1 </dev/tty)
    test (count $line) -eq 1; or return 1
    set _kb_ans $line
end

# Which entry: fzf with a preview where it is installed, else the numbered menu.
function _kb_menu
    set -g _kb_sel ''
    if test "$KB_FZF" != 0; and command -sq fzf
        set -l pick (
            for line in $_kb_E
                set -l f (string split \x1f -- $line)
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' $f[2] $f[5] $f[6] $f[7] $f[8] $f[9]
            end | SHELL=/bin/sh fzf --delimiter='\t' --with-nth=2,3 --no-sort --layout=reverse \
                --height=60% --prompt='kb> ' --preview-window=down:6:wrap \
                --preview='printf "%s\n%s\n%s  %s\n" {3} {6} {4} {5}')
        or return 1
        set _kb_sel (string split -m1 \t -- $pick)[1]
    else
        _kb_list >/dev/tty
        while true
            _kb_ask $_kb_m_pick; or return 1
            test -z "$_kb_ans"; and return 1
            if string match -qr '^[0-9]+$' -- $_kb_ans; and test $_kb_ans -ge 1; and test $_kb_ans -le (count $_kb_E)
                break
            end
        end
        set _kb_sel (math $_kb_ans)
    end
end

# _kb_fill N: entry N with each placeholder asked for in turn, into $_kb_cmd.
# _kb_quote VALUE WHERE: VALUE as one word of the command where its field stands (bare,
# inside '…' or inside "…"). The lookup page's Copy button quotes for sh; fish reads
# '…' and \' the same way, but inside "…" only \\, \" and \$ are escapes.
function _kb_quote --argument-names v where
    # Inside fish's single quotes \\ and \' are escapes (not sh's '\'' idiom): a value
    # ending in a backslash, or with \' in it, must not close the quote early.
    set -l sq (string replace -a -- '\\' '\\\\' $v | string replace -a -- "'" "\\'")
    switch $where
        case "'"
            printf '%s\n' $sq
        case '"'
            string replace -a -- '\\' '\\\\' $v | string replace -a -- '"' '\\"' | string replace -a -- '$' '\\$'
        case '*'
            if string match -qr '^[A-Za-z0-9_@%+=:,./-]+$' -- $v
                printf '%s\n' $v
            else
                printf "'%s'\n" $sq
            end
    end
end

function _kb_fill
    set -l f (string split \x1f -- $_kb_E[$argv[1]])
    if test $f[3] != 1
        _kb_say (printf $_kb_m_unsafe $f[4])
        return 1
    end
    set -l cmd $f[4]
    for line in $_kb_P
        set -l p (string split \x1f -- $line)
        test $p[2] = $argv[1]; and string match -qr -- (string escape --style=regex -- $p[4]) $cmd; or continue
        set -l val ''
        if test $p[3] = choice
            set -l choices $p[6..-1]
            for i in (seq (count $choices))
                printf '  %d) %s' $i $choices[$i]
            end >/dev/tty
            printf '\n' >/dev/tty
            while test -z "$val"
                _kb_ask (printf $_kb_m_choice $choices[1]); or return 1
                if test -z "$_kb_ans"
                    set val $choices[1]
                else if string match -qr '^[0-9]+$' -- $_kb_ans; and test $_kb_ans -ge 1; and test $_kb_ans -le (count $choices)
                    set val $choices[$_kb_ans]
                else if contains -- $_kb_ans $choices
                    set val $_kb_ans
                end
            end
        else
            _kb_ask (printf $_kb_m_field $p[5] $p[5]); or return 1
            # Enter keeps the template's example as written; a typed value is quoted.
            set val $p[5]
            if test -n "$_kb_ans"; and test -z "$p[6]"; and string match -qr '(\.\.\.|…)$' -- $p[5]
                # A field for several values (tldr's "file1 file2 ..."): each word is an argument.
                set -l words
                for w in (string split -n ' ' -- $_kb_ans)
                    set -a words (_kb_quote $w '')
                end
                set val (string join ' ' -- $words)
            else if test -n "$_kb_ans"
                set val (_kb_quote $_kb_ans "$p[6]")
            end
        end
        set cmd (string replace -a -- $p[4] $val $cmd)
    end
    set cmd (string replace -a -- '\{\{' '{{' $cmd | string replace -a -- '\}\}' '}}')
    if test (count $cmd) -ne 1; or string match -qr '[[:cntrl:]]' -- $cmd
        _kb_say (printf $_kb_m_unsafe (string escape -- $cmd))
        return 1
    end
    set -g _kb_cmd $cmd
end

function _kb_choose
    _kb_lookup $argv[1]; and _kb_menu; and _kb_fill $_kb_sel
end

function kb --description 'look up a command in kb'
    if test "$argv[1]" = -s
        set -l q (string join ' ' -- $argv[2..-1])
        if test -z (string trim -- "$q")
            _kb_say $_kb_m_usage
            return 2
        end
        _kb_get api/search $q search; or return 1
        if test (count $_kb_out) -eq 0
            _kb_say (printf $_kb_m_nothing $q)
            return 1
        end
        for line in $_kb_out
            set -l f (string split \x1f -- $line)
            printf '%s\n    %s\n' $f[2] $f[3]
        end
        return 0
    end
    if contains -- "$argv[1]" -h --help
        printf '%s\n' $_kb_m_usage
        return 0
    end
    set -l q (string join ' ' -- $argv)
    if test -z (string trim -- "$q")
        _kb_say $_kb_m_no_query
        return 2
    end
    if not isatty stdin; or not isatty stdout
        # In a pipe or a script: the results as text, nothing to choose.
        _kb_lookup $q; or return 1
        _kb_list links
        return 0
    end
    _kb_choose $q; or return 1
    printf '%s\n' $_kb_cmd
    # Set while a command runs, the buffer is what the next prompt starts with.
    commandline -r -- $_kb_cmd
end

# The key: the words on the line are the question; the answer replaces the line.
function _kb_widget
    set -l q (commandline)
    # Start below the line being edited: fish leaves the cursor at its end.
    printf '\n' >/dev/tty
    # fish keeps the terminal raw while a binding runs: give the prompts line editing
    # and echo (Enter ends the line), then hand it back. Not `stty sane`: it turns
    # iutf8 off, and Backspace then deletes one byte of a kana.
    set -l saved (stty -g </dev/tty 2>/dev/null)
    stty icanon echo echoe icrnl isig </dev/tty 2>/dev/null
    if test -z (string trim -- "$q")
        _kb_ask $_kb_m_ask; and set q $_kb_ans
    end
    if test -n (string trim -- "$q"); and _kb_choose "$q"
        commandline -r -- $_kb_cmd
    end
    # What was typed or pasted past the last answer (a second Enter, the rest of a paste)
    # is dropped: fish would read it after the new line and run the command. With no
    # minimum and no wait, cat reads what is pending and stops at the first empty read.
    stty -icanon -echo min 0 time 0 </dev/tty 2>/dev/null; and cat </dev/tty >/dev/null 2>&1
    test -n "$saved"; and stty $saved </dev/tty 2>/dev/null
    commandline -f repaint
end

function _kb_bind
    set -l key ctrl-g
    set -q KB_KEY; and set key $KB_KEY
    test "$key" = none; and return 0
    set -l m (string match -r '^ctrl-([a-z])$' -- $key)
    if test -n "$m"
        # The control character itself: bind reads no escapes from a variable.
        set -l n (contains -i -- $m[2] a b c d e f g h i j k l m n o p q r s t u v w x y z)
        set -l hex (printf %02x $n)
        set key (printf "\\x$hex")
    end
    if status is-interactive
        bind $key _kb_widget
        bind -M insert $key _kb_widget
    end
end
_kb_bind
