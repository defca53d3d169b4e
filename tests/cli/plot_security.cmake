# plot: no input text runs as gnuplot code (config, profile and csv names,
# csv cells, -o, --data, TMPDIR), and plot's files: the gnuplot time limit,
# the kept script, --script beside --data, errors naming no removed file.
add_test(NAME cli_plot_inject COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/plot_inject.sh $<TARGET_FILE:llmroof>
  ${PROJECT_SOURCE_DIR})
add_test(NAME cli_plot_files COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/plot_files.sh $<TARGET_FILE:llmroof>
  ${PROJECT_SOURCE_DIR}/configs/llama3-70b-tp8.cfg)
set_tests_properties(cli_plot_inject cli_plot_files PROPERTIES LABELS cli TIMEOUT 120)
