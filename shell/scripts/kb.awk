# JSON from /api/lookup or /api/search -> records the shell scripts can read.
# Run with LC_ALL=C so strings are bytes in every awk (mawk, gawk, busybox).
# Records are fields joined by \037; control characters never reach the shell:
# they come out as visible escapes (\n, \x1b) and mark the entry unsafe.
#   E n safe template command task note_title note_url explanation
#   P n choice raw text choice...      (one per placeholder of entry n: a choice,
#   P n field raw text quote            or a field, with the shell quotes it sits in: "", ' or ")
#   S title url                        (search results)
#   X message                          (an error the server explained, or bad JSON)
BEGIN { US = "\037"; for (i = 0; i < 256; i++) ORD[sprintf("%c", i)] = i }
{ src = src $0 "\n" }
END {
  pos = 1; bad = ""
  skip_ws(); value("")
  if (bad != "") { print "X" US "bad response: " bad; exit }
  if ("error" in V) { print "X" US V["error"]; exit }
  if (mode == "search") {
    for (i = 0; i < LEN["results"]; i++)
      print "S" US V["results." i ".title"] US V["results." i ".url"]
    exit
  }
  for (i = 0; i < LEN["results"]; i++) {
    p = "results." i "."
    tpl = ((p "template") in V) ? p "template" : p "command"
    safe = (UNSAFE[tpl] || UNSAFE[p "command"]) ? 0 : 1
    template = V[tpl]; lines = ""
    for (j = 0; j < LEN[p "placeholders"]; j++) {
      q = p "placeholders." j "."
      # A value the query named ("restart" for {{start|stop|restart}}) is filled in, not asked
      # for; only a plain word, so it can never change what the shell runs.
      if (V[q "value"] ~ /^[A-Za-z0-9._+-]+$/ && V[q "raw"] != "") {
        template = replace_all(template, V[q "raw"], V[q "value"])
        continue
      }
      line = "P" US (i + 1) US V[q "kind"] US V[q "raw"] US V[q "text"]
      if (V[q "kind"] == "field") line = line US V[q "quote"]
      for (k = 0; k < LEN[q "choices"]; k++) line = line US V[q "choices." k]
      lines = lines line "\n"
    }
    print "E" US (i + 1) US safe US template US V[p "command"] US V[p "task"] US V[p "note_title"] US V[p "note_url"] US V[p "explanation"]
    if (safe) printf "%s", lines
  }
}
# Every occurrence of the literal string find in s replaced by repl.
function replace_all(s, find, repl,    out, at) {
  out = ""
  while ((at = index(s, find)) > 0) { out = out substr(s, 1, at - 1) repl; s = substr(s, at + length(find)) }
  return out s
}
function fail(why) { if (bad == "") bad = why " at byte " pos; pos = length(src) + 1 }
function skip_ws() { while (pos <= length(src) && index(" \t\r\n", substr(src, pos, 1))) pos++ }
function value(path,    c) {
  c = substr(src, pos, 1)
  if (c == "{") object(path)
  else if (c == "[") array(path)
  else if (c == "\"") { V[path] = string_(); if (STR_UNSAFE) UNSAFE[path] = 1 }
  else if (match(substr(src, pos), /^(true|false|null|-?[0-9][0-9.eE+-]*)/)) {
    V[path] = substr(src, pos, RLENGTH); pos += RLENGTH
  } else fail("unexpected character")
}
function object(path,    key, prefix, c) {
  pos++; skip_ws(); prefix = (path == "") ? "" : path "."
  if (substr(src, pos, 1) == "}") { pos++; return }
  while (bad == "") {
    skip_ws()
    if (substr(src, pos, 1) != "\"") { fail("expected a key"); return }
    key = string_(); skip_ws()
    if (substr(src, pos, 1) != ":") { fail("expected a colon"); return }
    pos++; skip_ws(); value(prefix key); skip_ws()
    c = substr(src, pos, 1); pos++
    if (c == "}") return
    if (c != ",") { fail("expected , or }"); return }
  }
}
function array(path,    n, c) {
  pos++; skip_ws(); n = 0
  if (substr(src, pos, 1) == "]") { pos++; LEN[path] = 0; return }
  while (bad == "") {
    skip_ws(); value(path "." n); n++; skip_ws()
    c = substr(src, pos, 1); pos++
    if (c == "]") { LEN[path] = n; return }
    if (c != ",") { fail("expected , or ]"); return }
  }
}
# A JSON string, decoded; control characters become visible escapes.
function string_(    out, c, e, cp, lo, chunk) {
  STR_UNSAFE = 0; out = ""; pos++
  while (pos <= length(src)) {
    # Copy runs of ordinary bytes at once: most of a response is plain text.
    if (match(substr(src, pos), /^[^"\\]+/)) {
      chunk = substr(src, pos, RLENGTH); pos += RLENGTH
      out = out visible(chunk)
      continue
    }
    c = substr(src, pos, 1); pos++
    if (c == "\"") return out
    e = substr(src, pos, 1); pos++
    if (e == "u") {
      cp = hex(substr(src, pos, 4)); pos += 4
      if (cp >= 55296 && cp < 56320 && substr(src, pos, 2) == "\\u") {
        lo = hex(substr(src, pos + 2, 4)); pos += 6
        cp = 65536 + (cp - 55296) * 1024 + (lo - 56320)
      }
      out = out codepoint(cp)
    }
    else if (e == "n") { out = out "\\n"; STR_UNSAFE = 1 }
    else if (e == "t") { out = out "\\t"; STR_UNSAFE = 1 }
    else if (e == "r") { out = out "\\r"; STR_UNSAFE = 1 }
    else if (e == "b") { out = out "\\b"; STR_UNSAFE = 1 }
    else if (e == "f") { out = out "\\f"; STR_UNSAFE = 1 }
    else out = out e
  }
  fail("unterminated string"); return out
}
function visible(s,    out, i, b, c) {
  # Raw DEL and C1 controls (U+0080-U+009F, bytes C2 80-9F) can steer a terminal too.
  if (s !~ /[\001-\037\177\302]/) return s
  out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1); b = ORD[c]
    if (b < 32 || b == 127) { out = out sprintf("\\x%02x", b); STR_UNSAFE = 1 }
    else if (b == 194 && ORD[substr(s, i + 1, 1)] >= 128 && ORD[substr(s, i + 1, 1)] < 160) {
      out = out sprintf("\\u%04x", ORD[substr(s, i + 1, 1)]); STR_UNSAFE = 1; i++
    } else out = out c
  }
  return out
}
function hex(h,    i, n, d) {
  n = 0
  for (i = 1; i <= 4; i++) {
    d = index("0123456789abcdef", tolower(substr(h, i, 1)))
    if (d == 0) { fail("bad \\u escape"); return 0 }
    n = n * 16 + d - 1
  }
  return n
}
function codepoint(cp) {
  if (cp < 32 || (cp >= 127 && cp < 160)) { STR_UNSAFE = 1; return (cp < 128) ? sprintf("\\x%02x", cp) : sprintf("\\u%04x", cp) }
  if (cp < 128) return sprintf("%c", cp)
  if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
  if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
  return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}
