# Writes the man page llmroof.1 from the program's own --help texts, so the
# page and --help cannot disagree: the top-level usage, then one section per
# subcommand with 'llmroof CMD --help'. Run at build time:
#   cmake -DLLMROOF=path/to/llmroof -DOUT=llmroof.1 -DVERSION=x.y.z -P manpage.cmake
# Text is escaped for roff: backslashes doubled, and a line that starts with
# a dot or an apostrophe (a roff request) gets the zero-width \& first.
function(roff_escape in out)
  string(REPLACE "\\" "\\e" t "${in}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" t "${t}")
  set(${out} "${t}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND ${LLMROOF} --help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "manpage.cmake: '${LLMROOF} --help' failed (${rc})")
endif()
# The subcommands: the indented names under "Commands:" in the top help.
string(REGEX MATCH "Commands:\n(  [a-z-]+[^\n]*\n)+" block "${top}")
string(REGEX MATCHALL "\n  [a-z-]+" names "${block}")
roff_escape("${top}" top_e)
string(TIMESTAMP today "%Y-%m-%d" UTC)
set(page ".TH LLMROOF 1 \"${today}\" \"llmroof ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nllmroof \\- roofline performance model of LLM deployments\n")
string(APPEND page ".SH DESCRIPTION\n.nf\n${top_e}.fi\n.SH COMMANDS\n")
foreach(n IN LISTS names)
  string(STRIP "${n}" n)
  execute_process(COMMAND ${LLMROOF} ${n} --help OUTPUT_VARIABLE h RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "manpage.cmake: '${LLMROOF} ${n} --help' failed (${rc})")
  endif()
  roff_escape("${h}" h_e)
  string(APPEND page ".SS ${n}\n.nf\n${h_e}.fi\n")
endforeach()
string(APPEND page ".SH FILES\nBuilt-in hardware profiles and the default deployment are embedded in the binary; \
\\fBllmroof hw list\\fR lists the profiles.\n")
string(APPEND page ".SH SEE ALSO\n\\fBgnuplot\\fR(1), \\fBdot\\fR(1)\n")
# Written whole, then renamed: an interrupted build leaves no half page.
file(WRITE "${OUT}.tmp" "${page}")
file(RENAME "${OUT}.tmp" "${OUT}")
