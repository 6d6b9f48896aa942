# kb for bash: the team's cheatsheet at the prompt. Served by @KB_URL@/shell/kb.bash
#
#   eval "$(curl -fsS @KB_URL@/shell/kb.bash)"     # in ~/.bashrc
#
#   kb <task words>     numbered commands for a task; pick one to fill in and recall with Up
#   kb -s <words>       search the notes: titles and links
#   Ctrl-G              look up the words on the command line and replace it with the command
#
# KB_URL, KB_TOKEN (from /accounts/tokens/) come from the environment or
# ${XDG_CONFIG_HOME:-~/.config}/kb/config (KEY=value lines). KB_KEY picks the key
# (ctrl-g, ctrl-o, ... or bash's own "\C-x\C-k"; "none" for no key), KB_FZF=0
# uses the numbered menu even where fzf is installed. Nothing found is ever run:
# the widget only edits the command line.

# @KB_SETTINGS@

_kb_say() { printf 'kb: %s\n' "$1" >&2; }

_kb_config() {
  local file="${XDG_CONFIG_HOME:-$HOME/.config}/kb/config" line key val
  _kb_url=${KB_URL-} _kb_token=${KB_TOKEN-}
  if [[ -r $file ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?(KB_URL|KB_TOKEN)[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]] || continue
      key=${BASH_REMATCH[2]} val=${BASH_REMATCH[3]}
      if [[ $val == \"*\" || $val == \'*\' ]]; then val=${val:1:${#val}-2}; fi
      # The environment wins over the file.
      if [[ $key == KB_URL && -z ${KB_URL-} ]]; then _kb_url=$val; fi
      if [[ $key == KB_TOKEN && -z ${KB_TOKEN-} ]]; then _kb_token=$val; fi
    done <"$file"
  fi
  _kb_url=${_kb_url:-$_kb_default_url}
  _kb_url=${_kb_url%/}
  if [[ -z $_kb_url ]]; then _kb_say "$_kb_m_no_url"; return 1; fi
  if [[ -n $_kb_token && ! $_kb_token =~ ^[A-Za-z0-9_-]+$ ]]; then _kb_say "$_kb_m_bad_config"; return 1; fi
}

# _kb_get PATH QUERY MODE: GET $KB_URL/PATH?q=QUERY, records from kb.awk in _kb_out.
_kb_get() {
  local out rc status
  _kb_config || return 1
  # The token goes to curl on its stdin (-K -): never in argv, a URL or history.
  out=$(
    if [[ -n $_kb_token ]]; then printf 'header = "Authorization: Bearer %s"\n' "$_kb_token"; fi |
      curl -sS -K - -G --max-time "${KB_TIMEOUT:-10}" -H 'Accept: application/json' \
        --data-urlencode "q=$2" --data "limit=${KB_LIMIT:-10}" --data "lang=$_kb_lang" -w '\n%{http_code}' "$_kb_url/$1" 2>/dev/null
  )
  rc=$?
  status=${out##*$'\n'} out=${out%$'\n'*}
  if ((rc != 0)) || [[ $status == 000 ]]; then
    # shellcheck disable=SC2059
    _kb_say "$(printf "$_kb_m_unreachable" "$_kb_url")"
    return 1
  fi
  case $status in
  200) ;;
  401)
    if [[ -n $_kb_token ]]; then _kb_say "$(printf "$_kb_m_bad_token" "$_kb_url")"; else _kb_say "$(printf "$_kb_m_no_token" "$_kb_url" "$_kb_url")"; fi
    return 1
    ;;
  403) _kb_say "$(printf "$_kb_m_forbidden" "$_kb_url")"; return 1 ;;
  *) _kb_say "$(printf "$_kb_m_http" "$_kb_url" "$status")"; return 1 ;;
  esac
  _kb_out=$(printf '%s\n' "$out" | LC_ALL=C awk -v mode="$3" "$_kb_awk")
  if [[ $_kb_out == X* ]]; then
    _kb_say "$(printf "$_kb_m_bad_response" "$_kb_url"): ${_kb_out#X?}"
    return 1
  fi
}

# Entries (E records) into _kb_E, placeholders (P records) into _kb_P.
_kb_lookup() {
  local line
  _kb_E=() _kb_P=()
  _kb_get api/lookup "$1" lookup || return 1
  while IFS= read -r line; do
    case $line in
    E*) _kb_E+=("$line") ;;
    P*) _kb_P+=("$line") ;;
    esac
  done <<<"$_kb_out"
  if ((${#_kb_E[@]} == 0)); then _kb_say "$(printf "$_kb_m_nothing" "$1")"; return 1; fi
}

# The numbered list: command, then task and source note (and its link when asked).
_kb_list() {
  local line f
  for line in "${_kb_E[@]}"; do
    IFS=$'\037' read -r -a f <<<"$line"
    printf '%2d) %s%s\n' "${f[1]}" "${f[4]}" "$([[ ${f[2]} == 1 ]] || printf ' [!]')"
    printf '    %s%s\n' "${f[5]}" "${f[6]:+ — ${f[6]}}"
    if [[ -n $1 && -n ${f[7]} ]]; then printf '    %s\n' "${f[7]}"; fi
  done
}

# _kb_ask PROMPT: one line from the terminal into _kb_ans; fails on end of input.
_kb_ask() {
  _kb_ans=
  IFS= read -r -p "$1" _kb_ans </dev/tty 2>/dev/tty
}

# Which entry: fzf with a preview where it is installed, else the numbered menu.
_kb_menu() {
  local line f pick
  _kb_sel=
  if [[ ${KB_FZF:-1} != 0 ]] && type -P fzf >/dev/null; then
    pick=$(
      for line in "${_kb_E[@]}"; do
        IFS=$'\037' read -r -a f <<<"$line"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${f[1]}" "${f[4]}" "${f[5]}" "${f[6]}" "${f[7]}" "${f[8]}"
      done | SHELL=/bin/sh fzf --delimiter='\t' --with-nth=2,3 --no-sort --layout=reverse \
        --height=60% --prompt='kb> ' --preview-window=down:6:wrap \
        --preview='printf "%s\n%s\n%s  %s\n" {3} {6} {4} {5}'
    ) || return 1
    _kb_sel=${pick%%$'\t'*}
  else
    _kb_list >/dev/tty
    while :; do
      _kb_ask "$_kb_m_pick" || return 1
      [[ -z $_kb_ans ]] && return 1
      if [[ $_kb_ans =~ ^[0-9]{1,4}$ ]] && ((10#$_kb_ans >= 1 && 10#$_kb_ans <= ${#_kb_E[@]})); then break; fi
    done
    _kb_sel=$((10#$_kb_ans))
  fi
}

# _kb_quote VALUE WHERE: VALUE as one word of the command where its field stands (bare,
# inside '…' or inside "…"), into _kb_q. The rules of the lookup page's Copy button
# (lookup/placeholders.py): what is typed is a value, never more shell.
_kb_quote() {
  local v=$1 sq="'\\''"
  case $2 in
  "'") _kb_q=${v//\'/"$sq"} ;;
  '"')
    v=${v//\\/"\\\\"}
    v=${v//\"/"\\\""}
    v=${v//\$/"\\\$"}
    v=${v//\`/"\\\`"}
    # History expansion reads ! inside double quotes: leave them for a moment around it.
    _kb_q=${v//!/\"\'!\'\"}
    ;;
  *)
    if [[ $v =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then _kb_q=$v; else _kb_q="'${v//\'/"$sq"}'"; fi
    ;;
  esac
}

# _kb_fill N: entry N with each placeholder asked for in turn, into _kb_cmd.
_kb_fill() {
  local line f cmd val i
  IFS=$'\037' read -r -a f <<<"${_kb_E[$1 - 1]}"
  if [[ ${f[2]} != 1 ]]; then _kb_say "$(printf "$_kb_m_unsafe" "${f[3]}")"; return 1; fi
  cmd=${f[3]}
  for line in "${_kb_P[@]}"; do
    IFS=$'\037' read -r -a f <<<"$line"
    [[ ${f[1]} == "$1" && $cmd == *"${f[3]}"* ]] || continue
    if [[ ${f[2]} == choice ]]; then
      for ((i = 5; i < ${#f[@]}; i++)); do printf '  %d) %s' $((i - 4)) "${f[i]}"; done >/dev/tty
      printf '\n' >/dev/tty
      while :; do
        _kb_ask "$(printf "$_kb_m_choice" "${f[5]}")" || return 1
        val=
        if [[ -z $_kb_ans ]]; then val=${f[5]}
        elif [[ $_kb_ans =~ ^[0-9]{1,4}$ ]] && ((10#$_kb_ans >= 1 && 10#$_kb_ans + 4 < ${#f[@]})); then val=${f[10#$_kb_ans + 4]}
        else for ((i = 5; i < ${#f[@]}; i++)); do [[ $_kb_ans == "${f[i]}" ]] && val=$_kb_ans; done
        fi
        [[ -n $val ]] && break
      done
    else
      _kb_ask "$(printf "$_kb_m_field" "${f[4]}" "${f[4]}")" || return 1
      # Enter keeps the template's example as written; a typed value is quoted.
      val=${f[4]}
      if [[ -n $_kb_ans && -z ${f[5]} && ( ${f[4]} == *... || ${f[4]} == *… ) ]]; then
        # A field for several values (tldr's "file1 file2 ..."): each word is an argument.
        local words w
        read -r -a words <<<"$_kb_ans"
        val=
        for w in "${words[@]}"; do _kb_quote "$w" ""; val+=${val:+ }$_kb_q; done
      elif [[ -n $_kb_ans ]]; then _kb_quote "$_kb_ans" "${f[5]}"; val=$_kb_q; fi
    fi
    cmd=${cmd//"${f[3]}"/"$val"}
  done
  cmd=${cmd//'\{\{'/'{{'}
  cmd=${cmd//'\}\}'/'}}'}
  if [[ $cmd == *[[:cntrl:]]* ]]; then _kb_say "$(printf "$_kb_m_unsafe" "${cmd//[[:cntrl:]]/?}")"; return 1; fi
  _kb_cmd=$cmd
}

_kb_choose() {
  _kb_lookup "$1" && _kb_menu && _kb_fill "$_kb_sel"
}

kb() {
  local q
  if [[ $1 == -s ]]; then
    shift
    q="$*"
    if [[ -z ${q//[[:space:]]/} ]]; then _kb_say "$_kb_m_usage"; return 2; fi
    _kb_get api/search "$q" search || return 1
    if [[ -z $_kb_out ]]; then _kb_say "$(printf "$_kb_m_nothing" "$q")"; return 1; fi
    local line f
    while IFS= read -r line; do
      IFS=$'\037' read -r -a f <<<"$line"
      printf '%s\n    %s\n' "${f[1]}" "${f[2]}"
    done <<<"$_kb_out"
    return 0
  fi
  if [[ $1 == -h || $1 == --help ]]; then printf '%s\n' "$_kb_m_usage"; return 0; fi
  q="$*"
  if [[ -z ${q//[[:space:]]/} ]]; then _kb_say "$_kb_m_no_query"; return 2; fi
  if [[ ! -t 0 || ! -t 1 ]]; then
    # In a pipe or a script: the results as text, nothing to choose.
    _kb_lookup "$q" || return 1
    _kb_list links
    return 0
  fi
  _kb_choose "$q" || return 1
  printf '%s\n' "$_kb_cmd"
  history -s -- "$_kb_cmd"
  printf '%s\n' "$_kb_m_pushed" >&2
}

# The key: the words on the line are the question; the answer replaces the line.
_kb_widget() {
  # Readline keeps the terminal raw (no echo, Enter is not a newline) while a
  # bound command runs: give the prompts line editing and echo, then hand it back.
  # Not `stty sane`: it turns iutf8 off, and Backspace then deletes one byte of a kana.
  local saved
  saved=$(stty -g </dev/tty 2>/dev/null)
  stty icanon echo echoe icrnl isig </dev/tty 2>/dev/null
  _kb_widget_line
  _kb_drain
  if [[ -n $saved ]]; then stty "$saved" </dev/tty 2>/dev/null; fi
  return 0
}

# Whatever was typed or pasted past the last answer (a second Enter, the rest of a paste)
# is dropped: left in the terminal, readline would read it after the inserted line and run
# the command. Enter is the user's, once the line is there to read.
# (With no minimum and no wait, cat reads what is pending and stops at the first empty read.)
_kb_drain() {
  stty -icanon -echo min 0 time 0 </dev/tty 2>/dev/null && cat </dev/tty >/dev/null 2>&1
}

_kb_widget_line() {
  local q=$READLINE_LINE
  if [[ -z ${q//[[:space:]]/} ]]; then
    _kb_ask "$_kb_m_ask" || return 0
    q=$_kb_ans
    [[ -z ${q//[[:space:]]/} ]] && return 0
  fi
  _kb_choose "$q" || return 0
  READLINE_LINE=$_kb_cmd
  READLINE_POINT=${#_kb_cmd}
}

_kb_bind() {
  local key=${KB_KEY:-ctrl-g}
  [[ $key == none ]] && return 0
  if [[ $key =~ ^ctrl-([a-z])$ ]]; then key="\\C-${BASH_REMATCH[1]}"; fi
  if [[ $- == *i* ]]; then
    bind -m emacs-standard -x "\"$key\": _kb_widget"
    bind -m vi-insert -x "\"$key\": _kb_widget"
  fi
}
_kb_bind
