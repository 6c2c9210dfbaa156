# Write ampsweep.1 with help2man from the program's own help texts: the
# overview (ampsweep --help) as the synopsis and description, and each
# command's --help as a section of its own. Run by the build (CMakeLists.txt):
#   cmake -DAMPSWEEP=BIN -DHELP2MAN=help2man -DOUT=ampsweep.1 -DVERSION=X -P manpage.cmake
get_filename_component(dir "${OUT}" DIRECTORY)
set(include "${dir}/ampsweep.h2m")
set(text "[NAME]\nampsweep \\- simulate headphone and power amps into real loads with ngspice\n")
foreach(cmd sweep check plot merge import)
  execute_process(COMMAND "${AMPSWEEP}" ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ampsweep ${cmd} --help failed (${rc})")
  endif()
  string(TOUPPER "${cmd}" up)
  # lines that start with a dash would read as roff requests; indent every line
  string(REPLACE "\\" "\\\\" help "${help}")
  string(REPLACE "\n" "\n " help " ${help}")
  string(APPEND text "\n[COMMAND ${up}]\n.nf\n${help}.fi\n")
endforeach()
string(APPEND text "\n[SEE ALSO]\nThe documents in /usr/share/doc/ampsweep (docs/ in the source tree): metrics.md\ndefines every column, netlists.md the netlist convention, scaling.md shards.\n")
file(WRITE "${include}" "${text}")
execute_process(
  COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --version-string=${VERSION}
          --include=${include} --output=${OUT} "${AMPSWEEP}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
