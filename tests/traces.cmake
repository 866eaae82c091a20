# Every trace in testdata/traces is a regression test: `replay --verify` must reproduce its
# expect table. Adding a trace file adds a test (the glob is re-checked at build time).
file(GLOB trace_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/testdata/traces/*.json)
foreach(trace ${trace_files})
  get_filename_component(name ${trace} NAME_WE)
  add_test(NAME trace.${name} COMMAND shapelog replay ${trace} --verify --quiet)
endforeach()
# One trace also on a real temporary directory, to keep --on-disk honest.
add_test(NAME trace.seed-race.on-disk
         COMMAND shapelog replay ${PROJECT_SOURCE_DIR}/testdata/traces/seed-race.json --verify --quiet --on-disk)

# Every bad trace is rejected with exit 2 and a message naming the file, never a crash.
add_test(NAME cli.bad_traces
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_bad_traces.sh $<TARGET_FILE:shapelog>
                 ${PROJECT_SOURCE_DIR}/testdata/traces/bad)
