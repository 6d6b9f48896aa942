# kb for zsh: the team's cheatsheet at the prompt. Served by @KB_URL@/shell/kb.zsh
#
#   eval "$(curl -fsS @KB_URL@/shell/kb.zsh)"     # in ~/.zshrc
#
#   kb <task words>     numbered commands for a task; pick one and it waits on the next prompt
#   kb -s <words>       search the notes: titles and links
#   Ctrl-G              look up the words on the command line and replace it with the command
#
# KB_URL, KB_TOKEN (from /accounts/tokens/) come from the environment or
# ${XDG_CONFIG_HOME:-~/.config}/kb/config (KEY=value lines). KB_KEY picks the key
# (ctrl-g, ctrl-o, ... or zsh's own "^X^K"; "none" for no key), KB_FZF=0 uses the
# numbered menu even where fzf is installed. Nothing found is ever run: the
# widget only edits the command line.

# @KB_SETTINGS@

_kb_say() { print -r -u2 -- "kb: $1" }

_kb_config() {
  emulate -L zsh
  local file="${XDG_CONFIG_HOME:-$HOME/.config}/kb/config" line key val
  typeset -g _kb_url=${KB_URL-} _kb_token=${KB_TOKEN-}
  if [[ -r $file ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ '^[[:space:]]*(export[[:space:]]+)?(KB_URL|KB_TOKEN)[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$' ]] || continue
      key=$match[2] val=$match[3]
      if [[ $val == \"*\" || $val == \'*\' ]]; then val=${val[2,-2]}; fi
      # The environment wins over the file.
      if [[ $key == KB_URL && -z ${KB_URL-} ]]; then _kb_url=$val; fi
      if [[ $key == KB_TOKEN && -z ${KB_TOKEN-} ]]; then _kb_token=$val; fi
    done <$file
  fi
  _kb_url=${_kb_url:-$_kb_default_url}
  _kb_url=${_kb_url%/}
  if [[ -z $_kb_url ]]; then _kb_say $_kb_m_no_url; return 1; fi
  if [[ -n $_kb_token && ! $_kb_token =~ '^[A-Za-z0-9_-]+$' ]]; then _kb_say $_kb_m_bad_config; return 1; fi
}

# _kb_get PATH QUERY MODE: GET $KB_URL/PATH?q=QUERY, records from kb.awk in _kb_out.
_kb_get() {
  emulate -L zsh
  local out rc http
  _kb_config || return 1
  # The token goes to curl on its stdin (-K -): never in argv, a URL or history.
  out=$(
    if [[ -n $_kb_token ]]; then printf 'header = "Authorization: Bearer %s"\n' $_kb_token; fi |
      curl -sS -K - -G --max-time ${KB_TIMEOUT:-10} -H 'Accept: application/json' \
        --data-urlencode "q=$2" --data "limit=${KB_LIMIT:-10}" --data "lang=$_kb_lang" -w '\n%{http_code}' "$_kb_url/$1" 2>/dev/null
  )
  rc=$?
  http=${out##*$'\n'} out=${out%$'\n'*}
  if (( rc != 0 )) || [[ $http == 000 ]]; then
    _kb_say "$(printf $_kb_m_unreachable $_kb_url)"
    return 1
  fi
  case $http in
  200) ;;
  401)
    if [[ -n $_kb_token ]]; then _kb_say "$(printf $_kb_m_bad_token $_kb_url)"; else _kb_say "$(printf $_kb_m_no_token $_kb_url $_kb_url)"; fi
    return 1 ;;
  403) _kb_say "$(printf $_kb_m_forbidden $_kb_url)"; return 1 ;;
  *) _kb_say "$(printf $_kb_m_http $_kb_url $http)"; return 1 ;;
  esac
  typeset -g _kb_out=$(print -r -- $out | LC_ALL=C awk -v mode=$3 $_kb_awk)
  if [[ $_kb_out == X* ]]; then
    _kb_say "$(printf $_kb_m_bad_response $_kb_url): ${_kb_out#X?}"
    return 1
  fi
}

# A record's fields, empty ones kept: _kb_split LINE -> $reply.
_kb_split() { reply=("${(@ps:\x1f:)1}") }

# Entries (E records) into _kb_E, placeholders (P records) into _kb_P.
_kb_lookup() {
  emulate -L zsh
  local line
  typeset -ga _kb_E _kb_P
  _kb_E=() _kb_P=()
  _kb_get api/lookup "$1" lookup || return 1
  for line in "${(@f)_kb_out}"; do
    case $line in
    E*) _kb_E+=("$line") ;;
    P*) _kb_P+=("$line") ;;
    esac
  done
  if (( $#_kb_E == 0 )); then _kb_say "$(printf $_kb_m_nothing "$1")"; return 1; fi
}

# The numbered list: command, then task and source note (and its link when asked).
_kb_list() {
  emulate -L zsh
  local line reply
  for line in $_kb_E; do
    _kb_split $line
    printf '%2d) %s%s\n' "$reply[2]" "$reply[5]" "${${reply[3]:#1}:+ [!]}"
    printf '    %s%s\n' "$reply[6]" "${reply[7]:+ — $reply[7]}"
    if [[ -n $1 && -n $reply[8] ]]; then printf '    %s\n' "$reply[8]"; fi
  done
}

# _kb_ask PROMPT: one line from the terminal into _kb_ans; fails on end of input.
_kb_ask() {
  typeset -g _kb_ans=
  IFS= read -r "_kb_ans?$1" </dev/tty 2>/dev/tty
}

# Which entry: fzf with a preview where it is installed, else the numbered menu.
_kb_menu() {
  emulate -L zsh
  local line pick reply
  typeset -g _kb_sel=
  if [[ ${KB_FZF:-1} != 0 ]] && (( $+commands[fzf] )); then
    pick=$(
      for line in $_kb_E; do
        _kb_split $line
        # Quoted: zsh drops an empty unquoted word, and every column after it would shift.
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$reply[2]" "$reply[5]" "$reply[6]" "$reply[7]" "$reply[8]" "$reply[9]"
      done | SHELL=/bin/sh fzf --delimiter='\t' --with-nth=2,3 --no-sort --layout=reverse \
        --height=60% --prompt='kb> ' --preview-window=down:6:wrap \
        --preview='printf "%s\n%s\n%s  %s\n" {3} {6} {4} {5}'
    ) || return 1
    _kb_sel=${pick%%$'\t'*}
  else
    _kb_list >/dev/tty
    while :; do
      _kb_ask $_kb_m_pick || return 1
      [[ -z $_kb_ans ]] && return 1
      if [[ $_kb_ans == <1-> ]] && (( _kb_ans <= $#_kb_E )); then break; fi
    done
    _kb_sel=$(( 10#$_kb_ans ))
  fi
}

# _kb_quote VALUE WHERE: VALUE as one word of the command where its field stands (bare,
# inside '…' or inside "…"), into REPLY. The rules of the lookup page's Copy button
# (lookup/placeholders.py): what is typed is a value, never more shell.
_kb_quote() {
  emulate -L zsh
  local v=$1 sq="'\\''" bs='\'
  case $2 in
  (\') REPLY=${v//\'/$sq} ;;
  (\")
    v=${v//$bs/$bs$bs}
    v=${v//\"/$bs\"}
    v=${v//\$/$bs\$}
    v=${v//\`/$bs\`}
    # History expansion reads ! inside double quotes: leave them for a moment around it.
    REPLY=${v//\!/\"\'\!\'\"}
    ;;
  (*)
    if [[ $v =~ '^[A-Za-z0-9_@%+=:,./-]+$' ]]; then REPLY=$v; else REPLY="'${v//\'/$sq}'"; fi
    ;;
  esac
}

# _kb_fill N: entry N with each placeholder asked for in turn, into _kb_cmd.
_kb_fill() {
  emulate -L zsh
  local line cmd val i reply
  _kb_split $_kb_E[$1]
  if [[ $reply[3] != 1 ]]; then _kb_say "$(printf $_kb_m_unsafe $reply[4])"; return 1; fi
  cmd=$reply[4]
  for line in $_kb_P; do
    _kb_split $line
    [[ $reply[2] == $1 && $cmd == *"$reply[4]"* ]] || continue
    if [[ $reply[3] == choice ]]; then
      for (( i = 6; i <= $#reply; i++ )); do printf '  %d) %s' $(( i - 5 )) $reply[i]; done >/dev/tty
      printf '\n' >/dev/tty
      while :; do
        _kb_ask "$(printf $_kb_m_choice $reply[6])" || return 1
        val=
        if [[ -z $_kb_ans ]]; then val=$reply[6]
        elif [[ $_kb_ans == <1-> ]] && (( _kb_ans + 5 <= $#reply )); then val=${reply[_kb_ans+5]}
        elif (( ${reply[(Ie)$_kb_ans]} > 5 )); then val=$_kb_ans
        fi
        [[ -n $val ]] && break
      done
    else
      _kb_ask "$(printf $_kb_m_field $reply[5] $reply[5])" || return 1
      # Enter keeps the template's example as written; a typed value is quoted.
      val=$reply[5]
      if [[ -n $_kb_ans && -z $reply[6] && ( $reply[5] == *... || $reply[5] == *… ) ]]; then
        # A field for several values (tldr's "file1 file2 ..."): each word is an argument.
        local w
        val=
        for w in ${=_kb_ans}; do _kb_quote $w ""; val+=${val:+ }$REPLY; done
      elif [[ -n $_kb_ans ]]; then _kb_quote $_kb_ans "$reply[6]"; val=$REPLY; fi
    fi
    cmd=${cmd//"$reply[4]"/$val}
  done
  cmd=${cmd//'\{\{'/'{{'}
  cmd=${cmd//'\}\}'/'}}'}
  if [[ $cmd == *[[:cntrl:]]* ]]; then _kb_say "$(printf $_kb_m_unsafe ${cmd//[[:cntrl:]]/?})"; return 1; fi
  typeset -g _kb_cmd=$cmd
}

_kb_choose() {
  _kb_lookup "$1" && _kb_menu && _kb_fill $_kb_sel
}

kb() {
  emulate -L zsh
  local q line reply
  if [[ $1 == -s ]]; then
    shift
    q="$*"
    if [[ -z ${q//[[:space:]]/} ]]; then _kb_say $_kb_m_usage; return 2; fi
    _kb_get api/search "$q" search || return 1
    if [[ -z $_kb_out ]]; then _kb_say "$(printf $_kb_m_nothing "$q")"; return 1; fi
    for line in "${(@f)_kb_out}"; do
      _kb_split $line
      printf '%s\n    %s\n' $reply[2] $reply[3]
    done
    return 0
  fi
  if [[ $1 == (-h|--help) ]]; then print -r -- $_kb_m_usage; return 0; fi
  q="$*"
  if [[ -z ${q//[[:space:]]/} ]]; then _kb_say $_kb_m_no_query; return 2; fi
  if [[ ! -t 0 || ! -t 1 ]]; then
    # In a pipe or a script: the results as text, nothing to choose.
    _kb_lookup "$q" || return 1
    _kb_list links
    return 0
  fi
  _kb_choose "$q" || return 1
  print -r -- $_kb_cmd
  # On the buffer stack: the next prompt starts with the command, ready to edit.
  print -z -r -- $_kb_cmd
}

# The key: the words on the line are the question; the answer replaces the line.
_kb_widget() {
  emulate -L zsh
  local q=$BUFFER saved
  zle -I
  # zle keeps the terminal raw while a widget runs: give the prompts line editing
  # and echo, then hand it back. Not `stty sane`: it turns iutf8 off, and Backspace
  # then deletes one byte of a kana.
  saved=$(stty -g </dev/tty 2>/dev/null)
  stty icanon echo echoe icrnl isig </dev/tty 2>/dev/null
  if [[ -z ${q//[[:space:]]/} ]] && _kb_ask $_kb_m_ask; then q=$_kb_ans; fi
  if [[ -n ${q//[[:space:]]/} ]] && _kb_choose "$q"; then
    BUFFER=$_kb_cmd
    CURSOR=$#BUFFER
  fi
  # What was typed or pasted past the last answer (a second Enter, the rest of a paste)
  # is dropped: zle would read it after the new line and run the command. With no
  # minimum and no wait, cat reads what is pending and stops at the first empty read.
  stty -icanon -echo min 0 time 0 </dev/tty 2>/dev/null && cat </dev/tty >/dev/null 2>&1
  [[ -n $saved ]] && stty $saved </dev/tty 2>/dev/null
  # No reset-prompt: after `zle -I` zle redraws below what was printed, while
  # reset-prompt would draw over the last line of it.
  return 0
}

_kb_bind() {
  local key=${KB_KEY:-ctrl-g}
  [[ $key == none ]] && return 0
  if [[ $key == ctrl-[a-z] ]]; then key="^${(U)key[-1]}"; fi
  if [[ -o interactive ]]; then
    zle -N _kb_widget
    bindkey -M emacs $key _kb_widget
    bindkey -M viins $key _kb_widget
  fi
}
_kb_bind
