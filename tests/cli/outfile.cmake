# Output files and stdout (security issue, items 3, 8 and 11): -o onto a
# FIFO, a device, a symbolic link and an existing file's mode; temporary
# files removed on SIGTERM and SIGINT; an empty -o, a failed write to stdout
# and --explain -o. The scripts say what each checks.
foreach(script outfile_special outfile_signals outfile_stdout)
  add_test(NAME cli_${script} COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/${script}.sh $<TARGET_FILE:llmroof>
    ${PROJECT_SOURCE_DIR}/configs/llama3-70b-tp8.cfg)
  set_tests_properties(cli_${script} PROPERTIES LABELS cli TIMEOUT 120)
endforeach()
