# Run at build time, after shapelog is linked (cli/CMakeLists.txt): writes what the install
# adds to the binary into OUT_DIR, all of it from the binary itself, so none of it can drift:
#   completion/shapelog, _shapelog, shapelog.fish   `shapelog completion bash|zsh|fish`
#   man1/shapelog.1, man1/shapelog-COMMAND.1         help2man on `shapelog [COMMAND] --help`,
#                                                    one page per subcommand as git has them
# Inputs: SHAPELOG (the binary), VERSION, OUT_DIR, and HELP2MAN (empty: no manual pages).
file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}/completion")
foreach(shell_file IN ITEMS "bash;shapelog" "zsh;_shapelog" "fish;shapelog.fish")
  list(GET shell_file 0 shell)
  list(GET shell_file 1 file)
  execute_process(COMMAND "${SHAPELOG}" completion ${shell}
                  OUTPUT_FILE "${OUT_DIR}/completion/${file}" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${SHAPELOG} completion ${shell} failed")
  endif()
endforeach()
if(NOT HELP2MAN)
  return()
endif()

execute_process(COMMAND "${SHAPELOG}" --help OUTPUT_VARIABLE help RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "${SHAPELOG} --help failed")
endif()
# The subcommands are the indented lines after "Subcommands:": "  NAME   DESCRIPTION".
string(REGEX REPLACE ".*\nSubcommands:\n" "" listing "${help}")
string(REGEX REPLACE "\n\n.*" "" listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")

# The manual's NAME line: the description's first clause (up to ". ", ": " or "; " outside
# parentheses), as the completion scripts show it (cli/cli_spec.cpp, summary_of).
function(first_clause text out)
  string(REGEX MATCH "^[^.:;(]*(\\([^)]*\\)[^.:;(]*)*" clause "${text}")
  set(${out} "${clause}" PARENT_SCOPE)
endfunction()

set(man "${OUT_DIR}/man1")
file(MAKE_DIRECTORY "${man}")
set(see_also "")
set(commands "")
foreach(line IN LISTS lines)
  if(line MATCHES "^  ([a-z-]+) +(.*)$")
    list(APPEND commands "${CMAKE_MATCH_1}")
    set(description_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
    string(APPEND see_also ".BR shapelog-${CMAKE_MATCH_1} (1),\n")
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "no subcommands found in the output of ${SHAPELOG} --help")
endif()

# Every page ends with the list of the others. A command's page lists its own options; those
# given before the command (or after it) are on shapelog(1).
string(REGEX REPLACE ",\n$" "\n" see_also "${see_also}")
file(WRITE "${man}/top.h2m" "[SEE ALSO]\n${see_also}")
file(WRITE "${man}/command.h2m" "[SEE ALSO]\n.BR shapelog (1)\n"
           "for the options every command accepts, and\n${see_also}")

function(help2man page name help_option version_string include)
  execute_process(
    COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section=1
            "--help-option=${help_option}" "--version-string=${version_string}"
            "--name=${name}" "--include=${man}/${include}.h2m"
            "--output=${man}/${page}.1" "${SHAPELOG}"
    RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "help2man failed on ${page}")
  endif()
endfunction()

string(REGEX MATCH "^[^\n]*" top_description "${help}")
string(REGEX REPLACE "^shapelog: " "" top_description "${top_description}")
help2man(shapelog "${top_description}" --help "shapelog ${VERSION}" top)
foreach(command IN LISTS commands)
  first_clause("${description_${command}}" name)
  help2man(shapelog-${command} "${name}" "${command} --help" "shapelog-${command} ${VERSION}"
           command)
endforeach()
file(REMOVE "${man}/top.h2m" "${man}/command.h2m")
