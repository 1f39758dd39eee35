# The comparison notebook, executed headless on the committed data
# (tests/notebook/run_notebook.sh). Skipped, with the reason, where Jupyter
# or matplotlib/pandas are not installed.
add_test(NAME notebook COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/notebook/run_notebook.sh)
set_tests_properties(notebook PROPERTIES
  ENVIRONMENT "BO_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  SKIP_RETURN_CODE 77 TIMEOUT 300)
